import * as z from 'zod';
import { DEFAULTS } from './defaults.js';
import { isIPv4Address, parseCidr } from './net.js';
import { VERSION_PATTERN } from './version.js';

export const ROLES = [
  'zookeeper',
  'mesos-master',
  'mesos-agent',
  'marathon',
  'etcd',
  'k8s-master',
  'k8s-node',
  'haproxy',
] as const;
export type Role = (typeof ROLES)[number];

/** Spec sections, one per component; a host may carry one of the same name to override it. */
export const COMPONENTS = ['zookeeper', 'mesos', 'marathon', 'etcd', 'kubernetes', 'haproxy'] as const;
export type Component = (typeof COMPONENTS)[number];

const role = z.enum(ROLES);

const runtime = (fallback: string) =>
  z.enum(['package', 'docker']).meta({
    description:
      '`package`: files in the Debian/RPM package layout plus service units; `docker`: one `docker run` per container, configured as the image expects',
    default: fallback,
  });

const version = (example: string) =>
  z
    .string()
    .regex(VERSION_PATTERN, { error: `write a release number like "${example}"` })
    .meta({ description: `The release you run (files and flags differ by version), e.g. "${example}"` });

const port = (fallback?: number) => {
  const p = z.number().int().min(1).max(65535);
  return fallback === undefined ? p : p.meta({ default: fallback });
};

const absolutePath = (fallback?: string) => {
  const p = z.string().regex(/^\/[^\0]*$/, { error: 'write an absolute path, starting with /' });
  return fallback === undefined ? p : p.meta({ default: fallback });
};

const ipv4 = z.string().refine(isIPv4Address, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not an IPv4 address: write four numbers 0–255 joined by dots, e.g. 10.16.40.1`,
});

const cidr = z.string().refine((t) => parseCidr(t) !== undefined, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not an IPv4 CIDR range: write address/prefix, e.g. 10.96.0.0/12`,
});

const image = z.string().min(1).meta({ description: 'Container image for the docker runtime' });

const flagValue = z.union([z.string(), z.number(), z.boolean()]);
const duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h)$/, { error: 'write a duration like 15s, 1m or 500ms' });

const flags = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'flag names are lower_snake_case, without --' }),
    flagValue,
  )
  .meta({
    description: 'Extra flags, by name without dashes; true/false become bare or negated flags',
  });

const kubeFlags = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'Kubernetes flag names are kebab-case, without --' }),
    flagValue,
  )
  .meta({ description: 'Extra flags, by name without dashes; true/false become --flag=true/false' });

// ZooKeeper ---------------------------------------------------------------------------------------

const FOUR_LETTER_WORDS = [
  'conf',
  'cons',
  'crst',
  'dirs',
  'dump',
  'envi',
  'gtmk',
  'isro',
  'mntr',
  'ruok',
  'srst',
  'srvr',
  'stat',
  'stmk',
  'wchc',
  'wchp',
  'wchs',
] as const;

const zookeeperTunables = {
  clientPort: port(DEFAULTS.zookeeper.clientPort),
  peerPort: port(DEFAULTS.zookeeper.peerPort),
  electionPort: port(DEFAULTS.zookeeper.electionPort),
  dataDir: absolutePath(DEFAULTS.zookeeper.dataDir),
  dataLogDir: absolutePath().meta({ description: 'Transaction log directory, ideally on its own disk' }),
  clientPortAddress: ipv4.meta({ description: 'Bind the client port to this address only' }),
  adminServer: z
    .strictObject({
      enabled: z.boolean().meta({ description: 'Default: on for 3.5–3.9, off from 3.10 (ZOOKEEPER-5050)' }),
      port: port(DEFAULTS.zookeeper.adminServer.port),
      address: ipv4,
    })
    .partial(),
};

const zookeeperSection = z.strictObject({
  version: version('3.8.4'),
  runtime: runtime(DEFAULTS.zookeeper.runtime).optional(),
  image: image.optional(),
  ...z.strictObject(zookeeperTunables).partial().shape,
  tickTime: z.number().int().min(1).meta({ default: DEFAULTS.zookeeper.tickTime }).optional(),
  initLimit: z.number().int().min(1).meta({ default: DEFAULTS.zookeeper.initLimit }).optional(),
  syncLimit: z.number().int().min(1).meta({ default: DEFAULTS.zookeeper.syncLimit }).optional(),
  maxClientCnxns: z.number().int().min(0).meta({ default: DEFAULTS.zookeeper.maxClientCnxns }).optional(),
  autopurge: z
    .strictObject({
      snapRetainCount: z
        .number()
        .int()
        .min(3)
        .meta({ default: DEFAULTS.zookeeper.autopurge.snapRetainCount }),
      purgeInterval: z.number().int().min(0).meta({
        description: 'Hours between purges; 0 disables',
        default: DEFAULTS.zookeeper.autopurge.purgeInterval,
      }),
    })
    .partial()
    .optional(),
  fourLetterWords: z
    .array(z.enum(FOUR_LETTER_WORDS))
    .meta({
      description: '4lw.commands.whitelist for 3.5.3+ (where only srvr is on by default)',
      default: DEFAULTS.zookeeper.fourLetterWords,
    })
    .optional(),
});

const zookeeperHostSection = z
  .strictObject({
    id: z
      .number({ error: 'write the ZooKeeper id as a whole number from 1 to 255' })
      .int({ error: 'write the ZooKeeper id as a whole number from 1 to 255' })
      .min(1, { error: 'ZooKeeper ids start at 1 (myid 0 is not a valid server id)' })
      .max(255, { error: 'ZooKeeper ids go up to 255' })
      .meta({
        description: 'myid and server.N of this member; default: its position among the zookeeper hosts',
      }),
    ...zookeeperTunables,
  })
  .partial();

// Mesos and Marathon ------------------------------------------------------------------------------

const mesosDuration = z.string().regex(/^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/, {
  error:
    'write a Mesos duration: a number and one of ns, us, ms, secs, mins, hrs, days, weeks (e.g. "5mins")',
});

const mesosAgentTunables = {
  port: port(DEFAULTS.mesos.agent.port),
  workDir: absolutePath(DEFAULTS.mesos.agent.workDir),
  containerizers: z
    .array(z.enum(['docker', 'mesos']))
    .min(1)
    .meta({ default: DEFAULTS.mesos.agent.containerizers }),
  isolation: z.array(z.string().min(1)).meta({ description: 'e.g. ["cgroups/cpu", "cgroups/mem"]' }),
  attributes: z.record(z.string(), z.union([z.string(), z.number()])),
  resources: z.record(z.string(), z.union([z.string(), z.number()])),
  flags,
};

const mesosAgentSection = z
  .strictObject({
    ...mesosAgentTunables,
    executorRegistrationTimeout: mesosDuration,
    switchUser: z.boolean().meta({ default: true, description: 'false writes ?no-switch_user' }),
    dockerDaemonArgs: z.array(z.string()).meta({
      description:
        'DOCKER_DAEMON_ARGS of the docker-in-docker agent, e.g. ["--insecure-registry", "10.0.0.5:5000"]',
    }),
    image,
  })
  .partial();

const mesosMasterTunables = {
  port: port(DEFAULTS.mesos.port),
  workDir: absolutePath(DEFAULTS.mesos.workDir),
  logDir: absolutePath(DEFAULTS.mesos.logDir),
};

const mesosSection = z.strictObject({
  version: version('1.11.0'),
  runtime: runtime(DEFAULTS.mesos.runtime).optional(),
  image: image.optional(),
  zkPath: z
    .string()
    .regex(/^\/[A-Za-z0-9_./-]*$/)
    .meta({ default: DEFAULTS.mesos.zkPath })
    .optional(),
  externalZookeeper: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, {
      error:
        'write a ZooKeeper connect string: host:port pairs joined by commas, e.g. "10.1.0.1:2181,10.1.0.2:2181"',
    })
    .meta({
      description:
        'Connect string of a ZooKeeper ensemble k8sm does not manage (host:port,…); instead of hosts with the zookeeper role',
    })
    .optional(),
  cluster: z.string().min(1).optional(),
  quorum: z
    .number()
    .int()
    .min(1)
    .meta({ description: 'Replicated-log quorum; default and minimum: a majority of the mesos-master hosts' })
    .optional(),
  ...z.strictObject(mesosMasterTunables).partial().shape,
  master: z.strictObject({ flags }).partial().optional(),
  agent: mesosAgentSection.optional(),
});

const mesosHostSection = z
  .strictObject({
    ...mesosMasterTunables,
    master: z.strictObject({ flags }).partial(),
    agent: z.strictObject(mesosAgentTunables).partial(),
  })
  .partial();

const marathonAppId = z.string().regex(/^(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)+$/, {
  error:
    'Marathon app ids are absolute paths of lowercase letters, digits, dots and dashes, e.g. "/web/nginx"',
});

const marathonHealthCheck = z.strictObject({
  protocol: z.enum(['HTTP', 'TCP', 'COMMAND']),
  path: z.string().startsWith('/').optional(),
  portIndex: z.number().int().min(0).optional(),
  command: z.string().min(1).optional(),
  gracePeriodSeconds: z.number().int().min(0).optional(),
  intervalSeconds: z.number().int().min(1).optional(),
  timeoutSeconds: z.number().int().min(1).optional(),
  maxConsecutiveFailures: z.number().int().min(0).optional(),
});

const marathonApp = z.strictObject({
  id: marathonAppId,
  cmd: z.string().min(1).optional(),
  docker: z
    .strictObject({
      image: z.string().min(1),
      network: z.enum(['bridge', 'host']).meta({ default: 'bridge' }).optional(),
      privileged: z.boolean().optional(),
      portMappings: z
        .array(
          z.strictObject({
            containerPort: z.number().int().min(0).max(65535),
            hostPort: z
              .number()
              .int()
              .min(0)
              .max(65535)
              .meta({ default: 0, description: '0: Marathon picks one' })
              .optional(),
            servicePort: z.number().int().min(0).max(65535).optional(),
            protocol: z.enum(['tcp', 'udp']).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  cpus: z.number().positive(),
  mem: z.number().positive().meta({ description: 'MiB' }),
  instances: z.number().int().min(0).meta({ default: 1 }).optional(),
  env: z.record(z.string(), z.string()).optional(),
  healthChecks: z.array(marathonHealthCheck).optional(),
});

const marathonSection = z.strictObject({
  version: version('1.11.24'),
  apps: z
    .array(marathonApp)
    .meta({
      description: 'Apps to deploy: written to cluster/marathon/apps/ with a deploy.sh that PUTs them',
    })
    .optional(),
  runtime: runtime(DEFAULTS.marathon.runtime).optional(),
  image: image.optional(),
  zkPath: z
    .string()
    .regex(/^\/[A-Za-z0-9_./-]*$/)
    .meta({ default: DEFAULTS.marathon.zkPath })
    .optional(),
  httpPort: port(DEFAULTS.marathon.httpPort).optional(),
  flags: flags.optional(),
});

const marathonHostSection = z.strictObject({ httpPort: port(), flags }).partial();

// etcd -------------------------------------------------------------------------------------------

const etcdTunables = {
  clientPort: port(DEFAULTS.etcd.clientPort),
  peerPort: port(DEFAULTS.etcd.peerPort),
  dataDir: absolutePath(DEFAULTS.etcd.dataDir),
  initialClusterState: z.enum(['new', 'existing']).meta({
    default: DEFAULTS.etcd.initialClusterState,
    description: '`existing` for a member that joins a running cluster',
  }),
};

const etcdSection = z.strictObject({
  version: version('3.5.17'),
  runtime: runtime(DEFAULTS.etcd.runtime).optional(),
  image: image.optional(),
  ...z.strictObject(etcdTunables).partial().shape,
  legacyPorts: z
    .boolean()
    .meta({
      default: false,
      description: 'Also serve the pre-2.x client 4001 and peer 7001 ports (etcd 2.x)',
    })
    .optional(),
  token: z
    .string()
    .min(1)
    .meta({ description: 'initial-cluster-token; default: derived from the cluster name' })
    .optional(),
  enableV2: z
    .boolean()
    .meta({
      description: 'Serve the v2 API (3.4–3.5); default: on when podmaster or the k8sm scheduler need it',
    })
    .optional(),
  tls: z
    .strictObject({
      client: z.boolean().meta({ default: false }),
      peer: z.boolean().meta({ default: false }),
      pkiDir: z
        .string()
        .min(1)
        .meta({ description: 'Directory of `k8sm-render pki`, relative to the spec file' }),
    })
    .partial()
    .optional(),
});

const etcdHostSection = z.strictObject(etcdTunables).partial();

// Kubernetes -------------------------------------------------------------------------------------

const kubernetesSection = z.strictObject({
  version: version('1.31.4'),
  flavor: z.enum(['mesos', 'standalone']).meta({
    description: '`mesos`: Kubernetes on Mesos (km, k8sm scheduler); `standalone`: plain control plane',
  }),
  runtime: runtime(DEFAULTS.kubernetes.runtime).optional(),
  image: image.optional(),
  serviceClusterIpRange: cidr.meta({ default: DEFAULTS.kubernetes.serviceClusterIpRange }).optional(),
  clusterCidr: cidr.meta({ description: 'Range that every node podCidr lies in' }).optional(),
  clusterDns: ipv4
    .meta({ description: 'Cluster DNS service address, inside serviceClusterIpRange' })
    .optional(),
  clusterDomain: z.string().min(1).meta({ default: DEFAULTS.kubernetes.clusterDomain }).optional(),
  apiserver: z
    .strictObject({
      securePort: z.number().int().min(0).max(65535).meta({
        default: DEFAULTS.kubernetes.apiserver.securePort,
        description: '0 turns the TLS port off (1.1-era k8sm)',
      }),
      insecurePort: port().meta({
        description: 'Plain-HTTP port of pre-1.24 apiservers, e.g. 8888 in the k8sm guides',
      }),
    })
    .partial()
    .optional(),
  authorization: z
    .array(z.enum(['AlwaysAllow', 'ABAC', 'RBAC', 'Node', 'Webhook']))
    .min(1)
    .optional(),
  storageBackend: z
    .enum(['etcd2', 'etcd3'])
    .meta({ description: 'Default: etcd2 when etcd is 2.x, else etcd3' })
    .optional(),
  pkiDir: z
    .string()
    .min(1)
    .meta({
      description:
        'Directory of `k8sm-render pki` for the apiserver, kubelet and client certificates, relative to the spec file',
    })
    .optional(),
  abacPolicy: z
    .array(
      z
        .strictObject({
          user: z.string().min(1),
          group: z.string().min(1),
          namespace: z.string().min(1),
          resource: z.string().min(1),
          apiGroup: z.string().min(1),
          nonResourcePath: z.string().min(1),
          readonly: z.boolean(),
        })
        .partial(),
    )
    .min(1)
    .meta({
      description:
        'ABAC rules (authorization: [ABAC]), one policy line each; "*" matches all, e.g. {"user": "admin", "namespace": "*", "resource": "*", "apiGroup": "*"}',
    })
    .optional(),
  scheduler: z
    .strictObject({
      hosts: z
        .array(z.string().min(1))
        .min(1)
        .meta({ description: 'k8s-master hosts that run the scheduler (k8sm: at most 2 recommended)' }),
    })
    .partial()
    .optional(),
  leaderElection: z
    .strictObject({
      leaseDuration: duration,
      renewDeadline: duration,
      retryPeriod: duration,
    })
    .partial()
    .meta({
      description:
        "Scheduler and controller-manager --leader-elect-* values, e.g. the 1.6 guide's 150s/100s/20s",
    })
    .optional(),
  kmPath: z
    .string()
    .regex(/^(https?|hdfs|s3|ftp):\/\//, {
      error: 'write a URL the Mesos fetcher can download, e.g. http://10.0.0.5/km',
    })
    .meta({
      description: 'k8sm: where Mesos agents fetch the km binary (--km_path; the same on every scheduler)',
    })
    .optional(),
  podInfraImage: z
    .string()
    .min(1)
    .meta({ description: 'kubelet --pod-infra-container-image (before 1.27)' })
    .optional(),
  kubeReserved: z
    .string()
    .regex(/^[a-z-]+=[^,=]+(,[a-z-]+=[^,=]+)*$/, {
      error: 'write name=quantity pairs, e.g. cpu=500m,memory=512Mi',
    })
    .optional(),
  proxyMode: z.enum(['iptables', 'ipvs', 'userspace', 'nftables']).optional(),
  docker: z
    .strictObject({
      mtu: z.number().int().min(576).max(65535),
      ipMasq: z.boolean(),
      iptables: z.boolean(),
      registryMirrors: z.array(z.string().min(1)),
      insecureRegistries: z.array(z.string().min(1)),
      storageDriver: z.string().min(1),
      cgroupDriver: z.enum(['cgroupfs', 'systemd']),
    })
    .partial()
    .meta({ description: "/etc/docker/daemon.json of every node; bip comes from the node's podCidr" })
    .optional(),
  extraArgs: z
    .strictObject({
      apiserver: kubeFlags,
      controllerManager: kubeFlags,
      scheduler: kubeFlags,
      kubelet: kubeFlags,
      proxy: kubeFlags,
    })
    .partial()
    .meta({ description: 'Extra flags per component, by name without dashes (checked against the version)' })
    .optional(),
});

const kubernetesHostSection = z
  .strictObject({
    podCidr: cidr.meta({ description: 'Pod address range of this node (per-node bridge CIDR)' }),
  })
  .partial();

// HAProxy ----------------------------------------------------------------------------------------

const haproxySection = z.strictObject({
  version: version('2.6'),
  runtime: runtime(DEFAULTS.haproxy.runtime).optional(),
  image: image.optional(),
  frontendPort: port(DEFAULTS.haproxy.frontendPort).optional(),
  balance: z
    .enum(['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'random'])
    .meta({ default: DEFAULTS.haproxy.balance })
    .optional(),
  stats: z
    .strictObject({
      port: port(),
      address: ipv4.meta({ default: '127.0.0.1' }).optional(),
      user: z.string().min(1),
      password: z
        .union(
          [
            z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) }),
            z.strictObject({ file: z.string().min(1) }),
          ],
          {
            error:
              'give the stats password as {"env": "NAME"} (an environment variable of the HAProxy service) or {"file": "path"} (a file beside the spec, never a literal password)',
          },
        )
        .meta({ description: 'Where the stats password comes from; never written into the spec' }),
    })
    .optional(),
  checkInterval: duration
    .meta({
      default: '2s',
      description: 'Health-check interval of every backend server (a server is DOWN after 3 failures)',
    })
    .optional(),
  runtimeApi: z
    .boolean()
    .meta({
      default: false,
      description: 'Open the runtime API on /run/haproxy/admin.sock (mode 600, package runtime)',
    })
    .optional(),
  template: z
    .string()
    .min(1)
    .meta({
      description:
        'Your own Mustache template for haproxy.cfg, relative to the spec file; the rendered result is checked like the built-in one',
    })
    .optional(),
});

const haproxyHostSection = z.strictObject({ frontendPort: port() }).partial();

// Hosts and the whole spec -----------------------------------------------------------------------

const hostName = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/, {
  error:
    'host names are letters, digits, dot, dash and underscore, starting and ending with a letter or digit',
});

const host = z.strictObject({
  name: hostName.meta({ description: 'Host name; also names its output tree hosts/<name>/' }),
  address: ipv4.meta({ description: 'IPv4 address the host is reached at and its daemons listen on' }),
  roles: z.array(role).min(1, { error: 'give the host at least one role' }),
  zookeeper: zookeeperHostSection.optional(),
  mesos: mesosHostSection.optional(),
  marathon: marathonHostSection.optional(),
  etcd: etcdHostSection.optional(),
  kubernetes: kubernetesHostSection.optional(),
  haproxy: haproxyHostSection.optional(),
});

export const clusterSpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
        error: 'cluster names are lowercase letters, digits and dashes',
      })
      .meta({ description: 'Cluster name; appears in every generated file header' }),
    description: z.string().optional(),
    hosts: z.array(host).min(1, { error: 'list at least one host' }),
    zookeeper: zookeeperSection.optional(),
    mesos: mesosSection.optional(),
    marathon: marathonSection.optional(),
    etcd: etcdSection.optional(),
    kubernetes: kubernetesSection.optional(),
    haproxy: haproxySection.optional(),
    rollout: z
      .strictObject({
        batch: z
          .union([
            z.number().int().min(1),
            z.string().regex(/^([1-9]\d?|100)%$/, { error: 'write a count or a percentage like "25%"' }),
          ])
          .meta({
            default: '25%',
            description: 'Mesos agents and Kubernetes nodes updated at once by the Ansible playbook',
          }),
      })
      .partial()
      .optional(),
    waive: z
      .record(z.string(), z.string().min(1, { error: 'state why the check is waived' }))
      .meta({
        description:
          'Checks to waive, each with the reason, e.g. {"even-ensemble": "adding a 4th before removing one"}',
      })
      .optional(),
  })
  .meta({ title: 'k8sm cluster spec' });

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type HostSpec = ClusterSpec['hosts'][number];
export type ZookeeperSpec = z.infer<typeof zookeeperSection>;
export type MesosSpec = z.infer<typeof mesosSection>;
export type MarathonSpec = z.infer<typeof marathonSection>;
export type MarathonApp = z.infer<typeof marathonApp>;
export type EtcdSpec = z.infer<typeof etcdSection>;
export type KubernetesSpec = z.infer<typeof kubernetesSection>;
export type HaproxySpec = z.infer<typeof haproxySection>;

import * as z from 'zod';
import {
  absolutePath,
  cidr,
  domainName,
  duration,
  hostName,
  image,
  ipv4,
  keyName,
  kubeFlags,
  port,
  runtime,
  text,
  version,
} from '../../fields.js';
import { KUBERNETES_DEFAULTS as D, K8SM_APISERVER, PODMASTER_IMAGE } from './facts.js';

export const kubernetesSection = z.strictObject({
  version: version('1.31.4'),
  flavor: z.enum(['mesos', 'standalone']).meta({
    description: '`mesos`: Kubernetes on Mesos (km, k8sm scheduler); `standalone`: plain control plane',
  }),
  runtime: runtime(D.runtime).optional(),
  image: image.optional(),
  podmasterImage: image
    .meta({
      description: `k8sm with the docker runtime: the podmaster that elects the controller-manager's master through etcd (default ${PODMASTER_IMAGE}; seed 000 used zhpooer/podmaster:1.1 where gcr.io is blocked). Assumes the image's /podmaster takes --etcd-servers, --key, --whoami, --source-file and --dest-file`,
    })
    .optional(),
  serviceClusterIpRange: cidr.meta({ default: D.serviceClusterIpRange }).optional(),
  clusterCidr: cidr.meta({ description: 'Range that every node podCidr lies in' }).optional(),
  clusterDns: ipv4
    .meta({ description: 'Cluster DNS service address, inside serviceClusterIpRange' })
    .optional(),
  clusterDomain: domainName().meta({ default: D.clusterDomain }).optional(),
  apiserver: z
    .strictObject({
      securePort: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .meta({
          default: D.apiserver.securePort,
          description: `0 turns the TLS port off. Default ${D.apiserver.securePort}, but ${K8SM_APISERVER.securePort} for Kubernetes on Mesos before ${K8SM_APISERVER.insecurePortUntil}: k8sm gives km's clients no CA, so they use the insecure port`,
        }),
      insecurePort: port().meta({
        description: `Plain-HTTP port of pre-1.20 apiservers. Default for Kubernetes on Mesos before ${K8SM_APISERVER.insecurePortUntil}: ${K8SM_APISERVER.insecurePort}, as in the k8sm guides; its scheduler, controller-manager and kubelets use it`,
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
  pkiDir: text()
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
          user: text().min(1),
          group: text().min(1),
          namespace: text().min(1),
          resource: text().min(1),
          apiGroup: text().min(1),
          nonResourcePath: text().min(1),
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
        .array(hostName())
        .min(1)
        .meta({ description: 'k8s-master hosts that run the scheduler (k8sm: at most 2 recommended)' }),
      advertisedAddress: text()
        .regex(/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5}$/, {
          error: 'write host:port, e.g. 192.168.33.11:10251',
        })
        .meta({
          description:
            "k8sm: host:port every scheduler gives as --advertised-address, so that all of them hand executors the same km download URI (http://<this>/km) and compute the same executor ID (kube-mesos-framework docs/ha.md). Assumes a load balancer there that forwards to the schedulers' port 10251. Needed with more than one scheduler unless kmPath is set",
        }),
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
  kmPath: text()
    .regex(/^(https?|hdfs|s3|ftp):\/\//, {
      error: 'write a URL the Mesos fetcher can download, e.g. http://10.0.0.5/km',
    })
    .meta({
      description:
        'k8sm: where Mesos agents fetch the km binary for the executors (--km-path; the same URI on every scheduler, so they compute the same executor ID). Assumes an HTTP/HDFS/S3/FTP server every agent reaches. Without it (and without scheduler.advertisedAddress) each scheduler serves its own km from its --address',
    })
    .optional(),
  podInfraImage: image
    .meta({
      description:
        "kubelet --pod-infra-container-image (before 1.27), containerd sandbox_image; k8sm: also the scheduler's --kubelet-pod-infra-container-image, which the executors' kubelets on the agents use. Unset: the kubelet's built-in pause image (seed 000 pulled zhpooer/pause:0.8.0 instead, gcr.io being blocked there)",
    })
    .optional(),
  kubeReserved: text()
    .regex(/^[a-z-]+=[^,=\s]+(,[a-z-]+=[^,=\s]+)*$/, {
      error: 'write name=quantity pairs, e.g. cpu=500m,memory=512Mi',
    })
    .optional(),
  proxyMode: z.enum(['iptables', 'ipvs', 'userspace', 'nftables']).meta({ default: D.proxyMode }).optional(),
  docker: z
    .strictObject({
      version: version('1.12.1').meta({
        description:
          'The dockerd release on the nodes: daemon.json keys differ by version (data-root from 17.05, "graph" before); default: a current one',
      }),
      mtu: z.number().int().min(576).max(65535),
      ipMasq: z.boolean(),
      iptables: z.boolean(),
      registryMirrors: z.array(text().min(1)),
      insecureRegistries: z.array(text().min(1)),
      storageDriver: keyName(),
      cgroupDriver: z.enum(['cgroupfs', 'systemd']),
      storageOpts: z
        .array(
          text().regex(/^[a-z0-9_]+\.[a-z0-9_]+=\S/, {
            error: 'write driver.option=value, e.g. dm.thinpooldev=/dev/mapper/docker-thinpool',
          }),
        )
        .min(1)
        .meta({
          description:
            'daemon.json storage-opts: options of storageDriver, each named with its prefix (dm.…, overlay2.…)',
        }),
      dataRoot: absolutePath().meta({
        description:
          'Where dockerd keeps images and containers: daemon.json data-root ("graph" before Docker 17.05)',
      }),
      liveRestore: z
        .boolean()
        .meta({ description: 'daemon.json live-restore: containers keep running while dockerd restarts' }),
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

export const kubernetesHostSection = z
  .strictObject({
    podCidr: cidr.meta({ description: 'Pod address range of this node (per-node bridge CIDR)' }),
  })
  .partial();

export type KubernetesSpec = z.infer<typeof kubernetesSection>;

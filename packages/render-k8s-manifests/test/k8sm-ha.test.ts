import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterPlan, loadSpec, PODMASTER_IMAGE } from '@k8sm/spec';
import {
  commandsOf,
  contentOf,
  envWords,
  exampleNames,
  examplePlan,
  exampleText,
  fileOf,
  hostScriptOf,
  planOf,
  runScriptSandboxed,
} from '@k8sm/testkit';
import test from 'ava';
import { parse } from 'yaml';
import { renderKubernetes } from '../src/index.js';
import { crc64Ecma, executorId, executorInfoOf, hashInput } from './k8sm-executor-id.js';

const sandboxed = existsSync('/usr/bin/bwrap') || process.env.CI === 'true' ? test : test.skip;
const withXz = existsSync('/usr/bin/xz') || process.env.CI === 'true' ? test : test.skip;

// where km is in the k8sm image the static pods run (/opt/kubernetes/km) and on a package host
const EXECUTABLE = { docker: '/opt/kubernetes/km', package: '/usr/local/bin/km' } as const;

type Argv = readonly string[];

/** Each km process a host starts, as `[subcommand, ...flags]`: the static pods' commands, or the
 * host script run by real bash in the sandbox (the `nohup km …` calls it makes). */
function kmCommands(plan: ClusterPlan, host: string): Argv[] {
  const out = renderKubernetes(plan);
  if (plan.kubernetes?.runtime === 'docker')
    return out.flatMap((a) => {
      if (a.kind !== 'file' || a.host !== host || !a.path.endsWith('.yaml')) return [];
      const pod = parse(a.content) as { spec: { containers: { command?: string[] }[] } };
      return pod.spec.containers.flatMap((c) =>
        c.command?.[0] === EXECUTABLE.docker ? [c.command.slice(1)] : [],
      );
    });
  const run = runScriptSandboxed(hostScriptOf(out, host));
  if (run.status !== 0) throw new Error(`${host}'s script failed: ${run.stderr}`);
  return run.calls.filter((c) => c[0] === 'nohup' && c[1] === 'km').map((c) => c.slice(2));
}

/** The executor ID each scheduler of the plan computes, by host. */
function executorIds(plan: ClusterPlan): Record<string, string> {
  const k8s = plan.kubernetes;
  if (!k8s) return {};
  return Object.fromEntries(
    k8s.schedulerHosts.map((host) => {
      const schedulers = kmCommands(plan, host).filter((c) => c[0] === 'scheduler');
      if (schedulers.length !== 1) throw new Error(`${host} runs ${schedulers.length} schedulers`);
      return [host, executorId(executorInfoOf(schedulers[0]?.slice(1) ?? [], EXECUTABLE[k8s.runtime]))];
    }),
  );
}

const distinct = (ids: Record<string, string>) => new Set(Object.values(ids)).size;

/** A plan edited past the checks: what the renderer would do for a spec they refuse. */
const edited = (plan: ClusterPlan, edit: (k8s: Record<string, unknown>) => void): ClusterPlan => {
  const k8s: Record<string, unknown> = { ...plan.kubernetes };
  edit(k8s);
  return { ...plan, kubernetes: k8s as unknown as NonNullable<ClusterPlan['kubernetes']> };
};
const withoutKmPath = (plan: ClusterPlan) =>
  edited(plan, (k) => {
    delete k.kmPath;
  });

withXz(
  'the executor-ID model hashes with the CRC-64/ECMA that xz --check=crc64 stores (Go hash/crc64 ECMA)',
  (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'k8sm-crc-'));
    try {
      const info = executorInfoOf(
        ['--address=10.0.0.1', '--api-servers=http://10.0.0.1:8888'],
        EXECUTABLE.docker,
      );
      for (const bytes of [new TextEncoder().encode('123456789'), hashInput(info)]) {
        const file = join(dir, 'in.xz');
        const xz = spawnSync('xz', ['--check=crc64', '-c'], { input: bytes, timeout: 10_000 });
        t.is(xz.status, 0);
        writeFileSync(file, xz.stdout);
        const listed = spawnSync('xz', ['--robot', '--list', '-vv', file], {
          encoding: 'utf8',
          timeout: 10_000,
        });
        const block = listed.stdout.split('\n').find((l) => l.startsWith('block\t'));
        // xz --robot --list: the check's name, then its value
        const cols = block?.split('\t') ?? [];
        t.is(cols[cols.indexOf('CRC64') + 1], crc64Ecma(bytes).toString(16).padStart(16, '0'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('k8sm HA: every scheduler of every example with more than one computes the same executor ID (model of kube-mesos-framework prepareExecutorInfo)', (t) => {
  let checked = 0;
  for (const name of exampleNames()) {
    const plan = examplePlan(name);
    const k8s = plan.kubernetes;
    if (k8s?.flavor !== 'mesos' || k8s.schedulerHosts.length < 2) continue;
    const ids = executorIds(plan);
    t.is(Object.keys(ids).length, k8s.schedulerHosts.length, name);
    t.is(distinct(ids), 1, `${name}: ${JSON.stringify(ids)}`);
    checked++;
  }
  t.true(checked >= 1, 'k8s-on-mesos-ha.yaml runs two schedulers');
});

test('k8sm HA: without kmPath or advertisedAddress the schedulers disagree (the failover the check refuses)', (t) => {
  const plan = examplePlan('k8s-on-mesos-ha.yaml');
  const bare = withoutKmPath(plan);
  t.is(distinct(executorIds(bare)), 2, 'each serves km from its own --address');
  const advertised = edited(bare, (k) => {
    k.schedulerAdvertisedAddress = '192.168.33.11:10251';
  });
  t.is(distinct(executorIds(advertised)), 1);
  // the spec that would render it is refused, naming the fix
  const spec = parse(exampleText('k8s-on-mesos-ha.yaml'));
  delete spec.kubernetes.kmPath;
  const report = loadSpec(JSON.stringify(spec), 'k8s-on-mesos-ha.json');
  const found = report.findings.filter((f) => f.check === 'k8sm-executor-id');
  t.deepEqual(
    found.map((f) => f.path.join('.')),
    ['kubernetes.scheduler'],
  );
  t.regex(found[0]?.fix ?? '', /kubernetes\.kmPath .*kubernetes\.scheduler\.advertisedAddress/);
  spec.kubernetes.scheduler.advertisedAddress = '192.168.33.11:10251';
  t.deepEqual(
    loadSpec(JSON.stringify(spec), 'k8s-on-mesos-ha.json').findings.filter((f) => f.severity === 'error'),
    [],
  );
});

/** Kubernetes on Mesos with the package runtime on two masters: km processes started by the host script. */
const packageTwoMasters = (kubernetes: Record<string, unknown>, waive: Record<string, string> = {}) => ({
  name: 'k8sm-two',
  hosts: [1, 2, 3].map((i) => ({
    name: `m${i}`,
    address: `10.1.0.${i}`,
    roles: ['zookeeper', 'etcd', 'mesos-master', ...(i < 3 ? ['k8s-master'] : []), 'mesos-agent'],
  })),
  zookeeper: { version: '3.4.10' },
  mesos: { version: '1.4.1' },
  etcd: { version: '2.2.1' },
  kubernetes: { version: '1.1.3', flavor: 'mesos', ...kubernetes },
  waive,
});

sandboxed(
  'k8sm package runtime: both schedulers started by the host scripts compute one executor ID with kmPath',
  (t) => {
    const waive = { 'k8sm-controller-manager-election': 'cold standby by hand in this test' };
    const plan = planOf(packageTwoMasters({ kmPath: 'http://10.1.0.9/km' }, waive));
    t.is(distinct(executorIds(plan)), 1);
    t.is(distinct(executorIds(withoutKmPath(plan))), 2);
  },
);

test('k8sm: podInfraImage reaches the executors through --kubelet-pod-infra-container-image', (t) => {
  const plan = examplePlan('k8s-on-mesos-ha.yaml');
  for (const host of plan.kubernetes?.schedulerHosts ?? []) {
    const scheduler = kmCommands(plan, host).find((c) => c[0] === 'scheduler') ?? [];
    t.true(scheduler.includes('--kubelet-pod-infra-container-image=zhpooer/pause:0.8.0'), host);
    // what the scheduler passes on to each executor's kubelet (prepareExecutorInfo appendOptional)
    t.true(
      executorInfoOf(scheduler.slice(1), EXECUTABLE.docker).arguments.includes(
        '--pod-infra-container-image=zhpooer/pause:0.8.0',
      ),
    );
  }
  const words = envWords(
    contentOf(renderKubernetes(plan), 'k8s-master1', '/etc/default/kubelet'),
    'KUBELET_OPTS',
  );
  t.true(words.includes('--pod-infra-container-image=zhpooer/pause:0.8.0'), "the masters' own kubelet too");
});

test('k8sm: the podmaster image comes from the spec, else the documented default', (t) => {
  const podmasterImage = (plan: ClusterPlan) => {
    const pod = parse(
      contentOf(renderKubernetes(plan), 'k8s-master1', '/etc/kubernetes/manifests/podmaster.yaml'),
    );
    return pod.spec.containers.map((c: { image: string }) => c.image);
  };
  t.deepEqual(podmasterImage(examplePlan('k8s-on-mesos-ha.yaml')), ['zhpooer/podmaster:1.1']);
  const spec = parse(exampleText('k8s-on-mesos-ha.yaml'));
  delete spec.kubernetes.podmasterImage;
  t.deepEqual(podmasterImage(planOf(spec, 'ha.json')), [PODMASTER_IMAGE]);
  t.is(PODMASTER_IMAGE, 'gcr.io/google_containers/podmaster:1.1');
});

/** The flags through which km's clients are told where the apiserver is. */
const APISERVER_FLAGS = ['api-servers', 'master'];
/** Flags that hand a 1.1 client a CA (a kubeconfig, or the auth file the scheduler serves). */
const CA_FLAGS = ['kubeconfig', 'certificate-authority', 'auth-path'];

/** Every apiserver URL a client is given, with whether that client also gets a CA. */
function clientUrls(plan: ClusterPlan): { who: string; url: string; ca: boolean }[] {
  const out = renderKubernetes(plan);
  const seen: { who: string; url: string; ca: boolean }[] = [];
  const look = (who: string, argv: Argv) => {
    const ca = argv.some((w) => CA_FLAGS.some((f) => w.startsWith(`--${f}=`)));
    for (const w of argv)
      for (const f of APISERVER_FLAGS)
        if (w.startsWith(`--${f}=`))
          for (const url of w.slice(f.length + 3).split(',')) seen.push({ who: `${who} --${f}`, url, ca });
  };
  for (const m of plan.kubernetes?.masters ?? []) {
    for (const argv of kmCommands(plan, m.host)) {
      look(`${m.host} km ${argv[0]}`, argv);
      if (argv[0] === 'scheduler')
        look(
          `executors of ${m.host}`,
          executorInfoOf(argv.slice(1), EXECUTABLE[plan.kubernetes?.runtime ?? 'docker']).arguments,
        );
    }
    const kubelet = contentOf(out, m.host, '/etc/default/kubelet');
    if (kubelet) look(`${m.host} kubelet`, envWords(kubelet, 'KUBELET_OPTS'));
  }
  return seen;
}

/** A mesos example with its apiserver ports taken out of the spec. */
function withoutPorts(example: string, apiserver?: Record<string, number>): ClusterPlan {
  const spec = parse(exampleText(example));
  delete spec.kubernetes.apiserver;
  if (apiserver) spec.kubernetes.apiserver = apiserver;
  return planOf(spec, example.replace(/\.ya?ml$/, '.json'));
}

sandboxed(
  "k8sm: every apiserver URL a client is given is http, or https with a CA it is given (the 1.1 client's view)",
  (t) => {
    const plans: [string, ClusterPlan][] = [
      ...exampleNames()
        .map((name): [string, ClusterPlan] => [name, examplePlan(name)])
        .filter(([, plan]) => plan.kubernetes?.flavor === 'mesos'),
      ['k8s-on-mesos-ha.yaml without ports', withoutPorts('k8s-on-mesos-ha.yaml')],
      ['k8s-on-mesos-single-master.json without ports', withoutPorts('k8s-on-mesos-single-master.json')],
      [
        'single master with securePort 6443 only',
        withoutPorts('k8s-on-mesos-single-master.json', { securePort: 6443 }),
      ],
    ];
    t.true(plans.length >= 5);
    for (const [name, plan] of plans) {
      const urls = clientUrls(plan);
      t.true(urls.length >= 3, name);
      for (const { who, url, ca } of urls)
        t.true(
          url.startsWith('http://') || (url.startsWith('https://') && ca),
          `${name}: ${who} gets ${url}`,
        );
    }
  },
);

sandboxed(
  'k8sm 1.1 with no ports given renders the guide form: --secure-port=0 and the insecure port 8888',
  (t) => {
    for (const example of ['k8s-on-mesos-ha.yaml', 'k8s-on-mesos-single-master.json']) {
      const plan = withoutPorts(example);
      const host = plan.kubernetes?.masters[0]?.host ?? '';
      const apiserver = kmCommands(plan, host).find((c) => c[0] === 'apiserver') ?? [];
      t.true(apiserver.includes('--secure-port=0'), example);
      t.true(apiserver.includes('--insecure-port=8888'), example);
    }
  },
);

test('k8sm on a version without the insecure port is refused: its clients would get https with no CA', (t) => {
  const spec = parse(exampleText('k8s-on-mesos-single-master.json'));
  delete spec.kubernetes.apiserver;
  spec.kubernetes.version = '1.20.15';
  const found = loadSpec(JSON.stringify(spec), 'x.json').findings.filter(
    (f) => f.check === 'k8sm-apiserver-tls',
  );
  t.deepEqual(
    found.map((f) => f.path.join('.')),
    ['kubernetes'],
  );
  t.regex(found[0]?.message ?? '', /no CA/);
});

test('k8sm package runtime with several masters: nothing elects the controller-manager, so it is refused (waivable)', (t) => {
  const spec = packageTwoMasters({ kmPath: 'http://10.1.0.9/km' });
  const found = loadSpec(JSON.stringify(spec), 'x.json').findings.filter(
    (f) => f.check === 'k8sm-controller-manager-election',
  );
  t.deepEqual(
    found.map((f) => [f.path.join('.'), f.severity]),
    [['kubernetes.runtime', 'error']],
  );
  t.regex(found[0]?.fix ?? '', /runtime "docker"/);
  // docker runtime: podmaster elects it on every master (each with its own --whoami)
  const docker = planOf(packageTwoMasters({ kmPath: 'http://10.1.0.9/km', runtime: 'docker' }));
  const out = renderKubernetes(docker);
  for (const host of ['m1', 'm2']) {
    t.truthy(fileOf(out, host, '/etc/kubernetes/manifests/podmaster.yaml'), host);
    t.truthy(fileOf(out, host, '/srv/kubernetes/manifests/kube-controller-manager.yaml'), host);
  }
  // waived: the controller-manager runs on the first master only, as the finding says
  const waived = planOf(
    packageTwoMasters({ kmPath: 'http://10.1.0.9/km' }, { 'k8sm-controller-manager-election': 'manual' }),
  );
  const cms = ['m1', 'm2'].map(
    (h) => commandsOf(renderKubernetes(waived), h).filter((c) => c.includes('km controller-manager')).length,
  );
  t.deepEqual(cms, [1, 0]);
});

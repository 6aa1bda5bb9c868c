import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// Facts about the etcd parts of the examples, read from their golden outputs (which the golden
// test keeps equal to what the examples render).
const golden = fileURLToPath(new URL('../../test/golden/', import.meta.url));

const flagsOf = (script: string): Record<string, string> => {
  const flags: Record<string, string> = {};
  for (const m of script.replaceAll(' \\\n  ', ' ').matchAll(/ -{1,2}([a-z-]+)=(\S+)/g))
    if (m[1] && m[2]) flags[m[1]] = m[2];
  return flags;
};

test('k8s-on-mesos-ha (etcd 2.2.1): single-dash flags, names in initial-cluster, 4001, a scheme on every URL', (t) => {
  const dir = join(golden, 'k8s-on-mesos-ha');
  const masters = ['k8s-master1', 'k8s-master2', 'k8s-master3'];
  const clusters = new Set<string>();
  for (const host of masters) {
    const script = readFileSync(join(dir, 'scripts', `${host}.sh`), 'utf8');
    t.regex(script, / {2}-name=/, 'etcd 2.x flags are single-dash as in the guide');
    const flags = flagsOf(script.slice(script.indexOf('zhpooer/etcd:v2.2.1')));
    const initial = flags['initial-cluster'] ?? '';
    clusters.add(initial);
    t.true(
      initial.split(',').some((entry) => entry.startsWith(`${flags.name}=`)),
      `${host}: its -name is a key of -initial-cluster`,
    );
    const urls = [
      ...initial.split(',').map((e) => e.slice(e.indexOf('=') + 1)),
      ...(flags['advertise-client-urls'] ?? '').split(','),
      ...(flags['listen-client-urls'] ?? '').split(','),
    ];
    for (const url of urls) t.regex(url, /^http:\/\/\d+\.\d+\.\d+\.\d+:\d+$/, `${host}: ${url}`);
    t.true(
      (flags['advertise-client-urls'] ?? '').split(',').some((u) => u.endsWith(':4001')),
      `${host}: 4001`,
    );
  }
  t.is(clusters.size, 1, 'the same initial cluster on every member');
  const plan = JSON.parse(readFileSync(join(dir, 'cluster/k8sm-plan.json'), 'utf8'));
  t.is(plan.kubernetes.etcdServers.length, 3);
  for (const url of plan.kubernetes.etcdServers)
    t.regex(url, /^http:\/\//, 'the consumers’ list has schemes');
});

test('k8s-1.6-standalone-ha (etcd 3.1, client TLS): every TLS path the env file names is in the output', (t) => {
  const dir = join(golden, 'k8s-1.6-standalone-ha');
  const hosts = readdirSync(join(dir, 'hosts')).filter((h) =>
    existsSync(join(dir, 'hosts', h, 'etc/etcd/etcd.conf')),
  );
  t.is(hosts.length, 3);
  for (const host of hosts) {
    const conf = readFileSync(join(dir, 'hosts', host, 'etc/etcd/etcd.conf'), 'utf8');
    const files = [...conf.matchAll(/^ETCD_[A-Z_]*FILE=(.+)$/gm)].map((m) => m[1] ?? '');
    t.deepEqual(files.length, 3, 'cert, key and trusted CA (client TLS only in this example)');
    for (const file of files) t.true(existsSync(join(dir, 'hosts', host, file)), `${host}: ${file}`);
    t.regex(conf, /^ETCD_ADVERTISE_CLIENT_URLS=https:\/\/10\.20\.0\.\d+:2379$/m);
    t.regex(conf, /^ETCD_CLIENT_CERT_AUTH=true$/m);
    t.regex(conf, /^ETCD_INITIAL_CLUSTER=(kube-controller0\d=http:\/\/10\.20\.0\.\d+:2380,?){3}$/m);
  }
});

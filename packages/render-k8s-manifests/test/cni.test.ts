import { CNI_PLUGINS, loadSpec } from '@k8sm/spec';
import { fakePki, hostScriptOf, k8s, runScriptSandboxed } from '@k8sm/testkit';
import test from 'ava';
import { renderKubernetes } from '../src/index.js';

/*
 * A model of when containerd's CRI reports the node's network ready, which the kubelet needs for
 * Ready: containerd loads the loopback network and every config in its conf dir (pkg/cri/server
 * cniLoadOptions: cni.WithLoNetwork, cni.WithDefaultConf; go-cni opts.go loadFromConfDir reads
 * *.conf, *.conflist and *.json of /etc/cni/net.d), and reports "cni plugin not initialized"
 * until there is one besides loopback; adding a pod's network then runs each plugin's binary from
 * /opt/cni/bin, which must be there.
 */
function containerdNetwork(
  files: readonly { path: string; content: string }[],
  plugins: ReadonlySet<string>,
) {
  const configs = files.filter((f) => /^\/etc\/cni\/net\.d\/[^/]+\.(conf|conflist|json)$/.test(f.path));
  if (configs.length === 0) return 'cni plugin not initialized';
  const types = [
    'loopback',
    ...configs.flatMap((f) => (JSON.parse(f.content).plugins as { type: string }[]).map((p) => p.type)),
  ];
  const missing = types.filter((t) => !plugins.has(t));
  return missing.length > 0
    ? `failed to find plugin ${JSON.stringify(missing[0])} in path [/opt/cni/bin]`
    : 'ready';
}

const spec = () => {
  const s = k8s({ version: '1.30.8' }, ['10.0.1.0/24']);
  s.hosts.push({ name: 'bare', address: '192.168.0.20', roles: ['k8s-node'] });
  return s;
};

test('the kubeadm layout: the node without a pod range is the one the warning names and containerd leaves NotReady', (t) => {
  const report = loadSpec(JSON.stringify(spec()), 'spec.json');
  const warnings = report.findings.filter((f) => f.check === 'cni-network');
  t.is(warnings.length, 1);
  t.is(warnings[0]?.severity, 'warning');
  t.deepEqual(warnings[0]?.path, ['hosts', 2]);
  t.regex(warnings[0]?.message ?? '', /"bare".*NotReady/);
  t.regex(
    warnings[0]?.fix ?? '',
    /bridge, host-local, portmap, loopback \(containernetworking\/plugins\) in \/opt\/cni\/bin/,
  );
  const plan = report.plan;
  if (!plan) return t.fail('no plan');
  const out = renderKubernetes(plan, fakePki(plan));
  const filesOf = (host: string) =>
    out.filter((a): a is Extract<typeof a, { kind: 'file' }> => a.kind === 'file' && a.host === host);
  const installed = new Set<string>(CNI_PLUGINS);
  t.is(containerdNetwork(filesOf('n1'), installed), 'ready');
  t.is(containerdNetwork(filesOf('bare'), installed), 'cni plugin not initialized');
  // the plugins the bridge config names are exactly the ones the check and the script ask for
  t.is(
    containerdNetwork(filesOf('n1'), new Set(['loopback'])),
    'failed to find plugin "bridge" in path [/opt/cni/bin]',
  );
  t.deepEqual(loadSpec(JSON.stringify(k8s({ version: '1.30.8' })), 'spec.json').findings, []);
});

test('a node’s script warns of each missing CNI plugin and goes on (nothing here installs them)', (t) => {
  const plan = loadSpec(JSON.stringify(spec()), 'spec.json').plan;
  if (!plan) return t.fail('no plan');
  const run = runScriptSandboxed(hostScriptOf(renderKubernetes(plan, fakePki(plan)), 'n1'));
  t.is(run.status, 0, run.stderr);
  for (const plugin of CNI_PLUGINS)
    t.regex(run.stderr, new RegExp(`warning: the CNI plugin ${plugin} is missing from /opt/cni/bin`));
  t.true(
    run.calls.some((c) => c[0] === 'systemctl'),
    'the kubelet is still started',
  );
});

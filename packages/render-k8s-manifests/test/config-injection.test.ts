import { spawnSync } from 'node:child_process';
import { ConfigValueError } from '@k8sm/spec';
import { contentOf, examplePlan, fakePki } from '@k8sm/testkit';
import test from 'ava';
import { renderKubernetes } from '../src/index.js';

const base = examplePlan('kubernetes-1.30-ha.yaml');
const pki = fakePki(base);

/** The plan with a pause image the image grammar would refuse: the TOML writer is the last line behind it. */
function withSandbox(image: string) {
  const plan = structuredClone(base);
  const images = plan.kubernetes?.kubeadmImages;
  if (!images) throw new Error('no kubeadm images');
  (images as { sandbox: string }).sandbox = image;
  (plan.kubernetes as { podInfraImage?: string }).podInfraImage = 'registry.k8s.io/pause:3.9';
  return plan;
}

test('issue 13: a newline in podInfraImage cannot break out of config.toml', (t) => {
  const error = t.throws(() => renderKubernetes(withSandbox('pause:3.9"\n[plugins.evil]\nx = "1'), pki), {
    instanceOf: ConfigValueError,
  });
  t.regex(
    error?.message ?? '',
    /^\/etc\/containerd\/config\.toml: the value of sandbox_image holds the control character U\+000A/,
  );
});

test('a `"` in podInfraImage stays inside the TOML string: tomllib reads back the one value', (t) => {
  const image = 'pause:3.9" ]\\';
  const toml = contentOf(renderKubernetes(withSandbox(image), pki), 'cp1', '/etc/containerd/config.toml');
  if (spawnSync('python3', ['-c', 'import tomllib'], { stdio: 'ignore' }).status !== 0)
    return t.log('no tomllib');
  const read = spawnSync(
    'python3',
    ['-c', 'import json,sys,tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'],
    { input: toml, encoding: 'utf8' },
  );
  t.is(read.status, 0, read.stderr);
  const table = JSON.parse(read.stdout) as { plugins: Record<string, { sandbox_image?: string }> };
  t.is(table.plugins['io.containerd.grpc.v1.cri']?.sandbox_image, image);
  t.deepEqual(Object.keys(table), ['version', 'plugins']);
});

test('a kubelet flag holding a newline or a blank cannot add a flag to node-config', (t) => {
  for (const value of ['x\n--anonymous-auth=true', 'x --anonymous-auth=true']) {
    const plan = structuredClone(base);
    (plan.kubernetes as { extraArgs: Record<string, Record<string, string>> }).extraArgs.kubelet = {
      'node-labels': value,
    };
    t.throws(() => renderKubernetes(plan, pki), {
      instanceOf: ConfigValueError,
      message: /^\/etc\/kubernetes\/node-config: the value of KUBELET_ARGS \("--node-labels"\)/,
    });
  }
});

import { type ClusterPlan, loadSpec, MissingPkiFileError } from '@k8sm/spec';
import { examplePath, exampleText, threeMasters } from '@k8sm/testkit-fixtures';
import test from 'ava';
import { InvalidSpecError, pkiFilesToRender, renderCluster, renderOutput } from '../src/index.js';

const contentOf = (tree: ReadonlyMap<string, { content: string }>, path: string) => tree.get(path)?.content;

test('a spec object and its JSON text render the same files; only the spec hash in manifest.json differs', async (t) => {
  const text = exampleText('mesosphere-3-masters.json');
  const fromText = await renderCluster(text, { file: 'spec.json' });
  const fromObject = await renderCluster(JSON.parse(text) as object, { file: 'spec.json' });
  t.true(fromText.tree.size > 20, `${fromText.tree.size} files`);
  t.deepEqual([...fromObject.tree.keys()], [...fromText.tree.keys()]);
  for (const [path, file] of fromText.tree)
    if (path !== 'manifest.json') t.deepEqual(fromObject.tree.get(path), file, path);
  t.notDeepEqual(fromObject.manifest.spec.sha256, fromText.manifest.spec.sha256);
});

test('the manifest returned is the manifest.json the tree holds; its generator is the CLI version given, or this package', async (t) => {
  const rendered = await renderCluster(threeMasters());
  t.deepEqual(rendered.manifest, JSON.parse(contentOf(rendered.tree, 'manifest.json') ?? 'null'));
  t.is(rendered.manifest.generator, '@k8sm/render-cluster');
  t.is((await renderCluster(threeMasters(), { version: '9.9.9' })).manifest.generator, 'k8sm-render 9.9.9');
  t.is(rendered.manifest.files.length, rendered.artifacts.files.length);
  t.deepEqual(
    rendered.hosts,
    rendered.report.plan.hosts.map((h) => h.name),
  );
});

test('what the CLI renders is what the pipeline gives: renderCluster is loadSpec + renderOutput', async (t) => {
  const text = exampleText('k8s-on-mesos-ha.yaml');
  const report = loadSpec(text, 'k8s-on-mesos-ha.yaml');
  if (!report.plan) return t.fail('the example is valid');
  const direct = renderOutput({ ...report, plan: report.plan }, text, 'k8s-on-mesos-ha.yaml', '1.0.0', {});
  const rendered = await renderCluster(text, { file: 'k8s-on-mesos-ha.yaml', version: '1.0.0' });
  t.deepEqual([...rendered.tree], [...direct.tree]);
});

test('an invalid spec throws InvalidSpecError with every finding, and its inputs are never asked for', async (t) => {
  let asked = false;
  const spec = threeMasters({ hosts: [{ name: 'm1', address: '10.16.40.300', roles: ['zookeeper'] }] });
  const error = await t.throwsAsync(
    renderCluster(spec, {
      file: 'bad.json',
      inputs: () => {
        asked = true;
        return { pki: {} };
      },
    }),
    { instanceOf: InvalidSpecError },
  );
  t.false(asked);
  t.is(error?.code, 'K8SM_SPEC_INVALID');
  t.regex(error?.message ?? '', /bad\.json:\d+:\d+.*hosts\[0\]\.address/s);
  t.true((error?.report.findings.length ?? 0) > 0);
});

test('strict: warnings fail as errors', async (t) => {
  // one master: valid, with the warning that it tolerates no failure
  const spec = threeMasters({ hosts: threeMasters().hosts.slice(0, 1) });
  const warned = await renderCluster(spec);
  t.true(warned.report.findings.some((f) => f.check === 'no-redundancy'));
  const error = await t.throwsAsync(renderCluster(spec, { strict: true }), { instanceOf: InvalidSpecError });
  t.regex(error?.message ?? '', /strict/);
});

test('a filter renders a part: --host keeps one host, --only one component', async (t) => {
  const whole = await renderCluster(threeMasters());
  const host = whole.hosts[0] ?? '';
  const part = await renderCluster(threeMasters(), { filter: { host } });
  t.deepEqual(part.hosts, [host]);
  t.true([...part.tree.keys()].every((p) => !p.startsWith('hosts/') || p.startsWith(`hosts/${host}/`)));
  t.false(
    [...part.tree.keys()].some((p) => p.startsWith('ansible/')),
    'no Ansible hand-off for a part',
  );
  const zk = await renderCluster(threeMasters(), { filter: { only: ['zookeeper'] } });
  t.true(zk.artifacts.files.every((f) => f.component === 'zookeeper' || f.component === 'k8sm'));
});

test('a TLS spec renders from the PKI files pkiFilesToRender names, given in memory; one missing is named', async (t) => {
  const file = examplePath('kubernetes-1.30-ha.yaml');
  const text = exampleText('kubernetes-1.30-ha.yaml');
  const pkiOf = (plan: ClusterPlan, skip?: string) =>
    Object.fromEntries(
      pkiFilesToRender(plan)
        .flatMap((set) => set.files)
        .filter((f) => f !== skip)
        .map((f) => [f, `pem of ${f}\n`]),
    );
  const rendered = await renderCluster(text, { file, inputs: (plan) => ({ pki: pkiOf(plan) }) });
  const placed = [...rendered.tree.values()].filter((f) => f.content.startsWith('pem of '));
  t.true(placed.length > 0, 'the given PKI is placed');
  let skipped = '';
  const error = await t.throwsAsync(
    renderCluster(text, {
      file,
      inputs: (plan) => {
        skipped = pkiFilesToRender(plan)[0]?.files[0] ?? '';
        return { pki: pkiOf(plan, skipped) };
      },
    }),
    { instanceOf: MissingPkiFileError },
  );
  t.true(skipped !== '' && (error?.message ?? '').includes(skipped), error?.message);
});

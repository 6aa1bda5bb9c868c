import { readFileSync } from 'node:fs';
import test from 'ava';
import {
  INSECURE_PORT_REMOVED,
  isKnownRelease,
  knownReleases,
  RELEASE_TABLES,
  type ReleaseTable,
  usesKubeadmLayout,
} from '../src/index.js';
import { find, load, paths, type SpecIn, show } from './helpers.js';

// The tables of known releases against the upstream tag lists they were read from. The compiled
// test runs from dist/test; the tag lists live beside the sources, in test/upstream-tags/.
const tagFile = (name: string) => new URL(`../../test/upstream-tags/${name}.txt`, import.meta.url);
const dataLines = (name: string) =>
  readFileSync(tagFile(name), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
const tagSet = (name: string) => new Set(dataLines(name));

/** Every release and pre-release the table accepts, with the tag that proves it (missing: not a tag). */
function unproven(table: ReleaseTable, tags: Set<string>, tagOf: (version: string) => string): string[] {
  const versions = [...knownReleases(table), ...(table.preReleases ?? [])];
  return versions.filter((v) => !tags.has(tagOf(v)));
}

test('every ZooKeeper release in the table is a release tag of apache/zookeeper', (t) => {
  const tags = tagSet('zookeeper');
  // 3.8.0 has only candidate tags; it was released from the second (see ZOOKEEPER_RELEASES)
  const alias: Record<string, string> = { '3.8.0': 'release-3.8.0-1' };
  const names = new Map(
    dataLines('zookeeper-release-names').map((l) => l.split(' ').reverse() as [string, string]),
  );
  const tagOf = (v: string) => alias[v] ?? names.get(v) ?? `release-${v}`;
  t.deepEqual(unproven(RELEASE_TABLES.zookeeper, tags, tagOf), []);
  // each pre-release name is the one its tag's build.xml gives
  for (const pre of RELEASE_TABLES.zookeeper.preReleases ?? []) t.true(names.has(pre), pre);
  t.false(tags.has('release-3.99.1'));
});

test('every etcd release in the table is a tag of etcd-io/etcd', (t) => {
  t.deepEqual(
    unproven(RELEASE_TABLES.etcd, tagSet('etcd'), (v) => `v${v}`),
    [],
  );
});

test('every Mesos release in the table is a tag of apache/mesos', (t) => {
  t.deepEqual(
    unproven(RELEASE_TABLES.mesos, tagSet('mesos'), (v) => v),
    [],
  );
});

test('every Kubernetes release in the table is named by the upstream sources', (t) => {
  t.deepEqual(
    unproven(RELEASE_TABLES.kubernetes, tagSet('kubernetes'), (v) => `v${v}`),
    [],
  );
});

test('every HAProxy branch in the table has its .0 tag in haproxy/haproxy', (t) => {
  t.deepEqual(
    unproven(RELEASE_TABLES.haproxy, tagSet('haproxy'), (v) => `v${v}.0`),
    [],
  );
});

test('Marathon: tagged lines are tags, and 1.6+ lines end at the release branch head count', (t) => {
  const tags = tagSet('marathon');
  const branches = new Map(
    dataLines('marathon-branches').map((l) => l.split(' ').slice(0, 2) as [string, string]),
  );
  const { lines } = RELEASE_TABLES.marathon;
  for (const [line, patches] of Object.entries(lines)) {
    const counted = branches.get(line);
    if (counted !== undefined) t.is(patches, Number(counted), line);
    else
      t.deepEqual(
        knownReleases({ component: 'Marathon', lines: { [line]: patches } }).filter(
          (v) => !tags.has(`v${v}`),
        ),
        [],
        line,
      );
  }
  t.true(isKnownRelease(RELEASE_TABLES.marathon, '1.11.24'), 'the head of releases/1.11');
});

test('the tables accept the real pre-releases and refuse made-up ones', (t) => {
  t.true(isKnownRelease(RELEASE_TABLES.zookeeper, '3.5.3-beta'));
  t.true(isKnownRelease(RELEASE_TABLES.zookeeper, '3.5.0-alpha'));
  t.false(isKnownRelease(RELEASE_TABLES.zookeeper, '3.5.5-beta'), '3.5.5 was the first stable 3.5');
  t.true(isKnownRelease(RELEASE_TABLES.etcd, '3.4.0-rc.2'));
  t.false(isKnownRelease(RELEASE_TABLES.etcd, '3.4.1-rc.0'));
  t.true(isKnownRelease(RELEASE_TABLES.kubernetes, '1.6.0-rc.1'));
  t.true(isKnownRelease(RELEASE_TABLES.haproxy, '2.6'));
  t.false(isKnownRelease(RELEASE_TABLES.haproxy, '9.9'));
});

// the check ------------------------------------------------------------------------------------

const spec = (versions: Partial<Record<keyof typeof RELEASE_TABLES, string>>, waive?: object): SpecIn => ({
  name: 'versions',
  hosts: [
    {
      name: 'm1',
      address: '10.0.0.1',
      roles: ['zookeeper', 'etcd', 'mesos-master', 'marathon', 'k8s-master'],
    },
    { name: 'lb', address: '10.0.0.9', roles: ['haproxy'] },
  ],
  zookeeper: { version: versions.zookeeper ?? '3.4.14' },
  mesos: { version: versions.mesos ?? '1.11.0' },
  marathon: { version: versions.marathon ?? '1.11.24' },
  etcd: { version: versions.etcd ?? '3.5.16' },
  kubernetes: { version: versions.kubernetes ?? '1.30.8', flavor: 'standalone', pkiDir: 'pki' },
  haproxy: { version: versions.haproxy ?? '2.6' },
  waive: { 'no-redundancy': 'one test host', ...waive },
});

test("the issue's made-up versions are errors at their JSON path, naming the nearest releases and the waiver", (t) => {
  const report = load(
    spec({
      kubernetes: '1.99.0',
      zookeeper: '3.99.1',
      etcd: '9.9.9',
      mesos: '9.9.9',
      marathon: '9.9.9',
      haproxy: '9.9',
    }),
  );
  t.deepEqual(paths(report, 'unknown-version').sort(), [
    'etcd.version',
    'haproxy.version',
    'kubernetes.version',
    'marathon.version',
    'mesos.version',
    'zookeeper.version',
  ]);
  const zk = find(report, 'unknown-version').find((f) => f.path[0] === 'zookeeper');
  t.is(zk?.severity, 'error');
  t.regex(zk?.message ?? '', /ZooKeeper 3\.99\.1 is not a release k8sm knows \(nearest known: "3\.9\.5"\)/);
  t.regex(zk?.fix ?? '', /"waive": \{ "unknown-version"/);
  t.falsy(report.plan);
});

test('a version between releases names the ones on both sides', (t) => {
  const report = load(spec({ kubernetes: '1.17.10' }));
  t.regex(find(report, 'unknown-version')[0]?.message ?? '', /nearest known: "1\.17\.9" and "1\.17\.11"/);
});

test('a waiver with a reason renders a release newer than the table', (t) => {
  const report = load(
    spec({ kubernetes: '1.36.9' }, { 'unknown-version': 'Kubernetes 1.36.9 released after the table' }),
  );
  t.deepEqual(find(report, 'unknown-version'), [], show(report));
  t.truthy(report.plan, show(report));
});

test('real pre-releases are accepted as versions', (t) => {
  const report = load(spec({ zookeeper: '3.5.3-beta', etcd: '3.5.0-rc.1' }));
  t.deepEqual(find(report, 'unknown-version'), [], show(report));
});

// fault 18: the README's layout sentence and the code's switch are one fact -------------------

test('the README names the release where the kubeadm layout takes over, as the code switches', (t) => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
  const m = /before (\d+\.\d+)\) and the kubeadm layout \([^)]*, from (\d+\.\d+)\)/.exec(readme);
  t.truthy(m, 'the README sentence on the two standalone layouts');
  t.deepEqual([m?.[1], m?.[2]], [INSECURE_PORT_REMOVED, INSECURE_PORT_REMOVED]);
  t.true(usesKubeadmLayout(`${INSECURE_PORT_REMOVED}.0`));
  t.false(usesKubeadmLayout('1.19.16'));
});

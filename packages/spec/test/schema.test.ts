import test from 'ava';
import { loadSpec } from '../src/index.js';
import { find, load, threeMasters } from './helpers.js';

const byPath = (report: ReturnType<typeof load>, path: string) =>
  report.findings.find((f) => f.path.join('.') === path);

test('unknown keys at the top and nested are errors with a did-you-mean', (t) => {
  const spec = threeMasters({ hostz: [] }) as ReturnType<typeof threeMasters> & {
    hosts: Record<string, unknown>[];
  };
  (spec.hosts[0] as Record<string, unknown>).zookeeper = { clientport: 2182 };
  const report = load(spec);
  t.regex(byPath(report, 'hostz')?.fix ?? '', /did you mean "hosts"/);
  const nested = byPath(report, 'hosts.0.zookeeper.clientport');
  t.is(nested?.message, 'unknown key "clientport"');
  t.regex(nested?.fix ?? '', /did you mean "clientPort"/);
  t.falsy(report.plan);
});

test('a number written as a string is told to drop the quotes', (t) => {
  const report = load(threeMasters({ zookeeper: { version: '3.4.6', clientPort: '2181' } }));
  const f = byPath(report, 'zookeeper.clientPort');
  t.regex(f?.message ?? '', /expected a number, got a string/);
  t.regex(f?.fix ?? '', /without quotes/);
});

test('every shape error of a spec is reported at once', (t) => {
  const spec = {
    name: 'Bad_Name',
    hosts: [
      { name: 'a', address: '10.0.0.300', roles: ['zookeeper', 'nosuchrole'] },
      { name: 'b', address: '10.0.0.2', roles: ['zookeeper'], zookeeper: { id: 0 } },
      { name: 'c', address: '10.0.0.3', roles: ['zookeeper'], zookeeper: { id: 256 } },
    ],
    zookeeper: { clientPort: 'x' },
    extra: true,
  };
  const report = load(spec);
  const paths = report.findings.map((f) => f.path.join('.')).sort();
  t.deepEqual(paths, [
    'extra',
    'hosts.0.address',
    'hosts.0.roles.1',
    'hosts.1.zookeeper.id',
    'hosts.2.zookeeper.id',
    'name',
    'zookeeper.clientPort',
    'zookeeper.version',
  ]);
  t.regex(byPath(report, 'hosts.0.address')?.message ?? '', /"10\.0\.0\.300" is not an IPv4 address/);
  t.regex(byPath(report, 'zookeeper.version')?.message ?? '', /"version" is required/);
  t.regex(byPath(report, 'hosts.1.zookeeper.id')?.message ?? '', /start at 1/);
  t.regex(byPath(report, 'hosts.2.zookeeper.id')?.message ?? '', /up to 255/);
  t.regex(byPath(report, 'hosts.0.roles.1')?.fix ?? '', /"mesos-master"/);
});

test('a spec that is not a mapping is one clear error', (t) => {
  const report = loadSpec('- a\n- b\n', 'list.yaml');
  t.is(report.findings.length, 1);
  t.regex(report.findings[0]?.message ?? '', /must be a mapping/);
});

test('a wrong waiver key is checked after the shape', (t) => {
  const report = load(threeMasters({ waive: { 'even-ensmble': 'typo' } }));
  const f = find(report, 'schema')[0];
  t.deepEqual(f?.path, ['waive', 'even-ensmble']);
  t.regex(f?.fix ?? '', /did you mean "even-ensemble"/);
});

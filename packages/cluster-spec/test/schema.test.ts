import test from 'ava';
import { type Finding, loadSpec, type SpecReport } from '../src/index.js';
import { find, host, k8s, load, show, threeMasters } from './helpers.js';

const at = (report: SpecReport, path: string): Finding | undefined =>
  report.findings.find((f) => f.path.join('.') === path);

test('an unknown top-level key is an error with a did-you-mean', (t) => {
  const spec = threeMasters({ hostz: [] });
  const report = load(spec);
  const f = at(report, 'hostz');
  t.is(f?.severity, 'error');
  t.is(f?.check, 'schema');
  t.is(f?.message, 'unknown key "hostz"');
  t.regex(f?.fix ?? '', /^did you mean "hosts"\?/);
  t.falsy(report.plan);
  t.falsy(report.spec);
});

test('an unknown key in a host’s section names the key it was meant to be', (t) => {
  const spec = threeMasters();
  host(spec, 0).zookeeper = { clientport: 2182 };
  const report = load(spec);
  const f = at(report, 'hosts.0.zookeeper.clientport');
  t.deepEqual(f?.path, ['hosts', 0, 'zookeeper', 'clientport']);
  t.is(f?.message, 'unknown key "clientport"');
  t.regex(f?.fix ?? '', /did you mean "clientPort"\?/);
  t.regex(f?.fix ?? '', /Keys allowed here: .*\bid\b.*dataDir/, 'lists the keys of the host section');
  t.falsy(report.plan);
});

test('an unknown key far from any allowed one is told to go', (t) => {
  const f = at(load(threeMasters({ colour: 'blue' })), 'colour');
  t.regex(f?.fix ?? '', /^remove it; keys allowed here: \$?[a-z]/);
  t.notRegex(f?.fix ?? '', /\$schema/, '$schema is allowed but never suggested');
});

test('a number written as a string is told to drop the quotes', (t) => {
  const report = load(threeMasters({ zookeeper: { version: '3.4.6', clientPort: '2181' } }));
  const f = at(report, 'zookeeper.clientPort');
  t.is(f?.message, 'expected a number, got a string');
  t.regex(f?.fix ?? '', /without quotes/);
});

test('an address with an octet over 255 is refused', (t) => {
  const spec = threeMasters();
  host(spec, 2).address = '10.0.0.300';
  const f = at(load(spec), 'hosts.2.address');
  t.regex(f?.message ?? '', /^"10\.0\.0\.300" is not an IPv4 address/);
  for (const address of ['10.0.0', '10.0.0.1.2', '010.0.0.1', 'm1.example.com', '::1']) {
    host(spec, 2).address = address;
    t.truthy(at(load(spec), 'hosts.2.address'), address);
  }
});

test('a section without its version says the key is required', (t) => {
  const report = load(threeMasters({ zookeeper: { clientPort: 2181 } }));
  const f = at(report, 'zookeeper.version');
  t.is(f?.message, '"version" is required');
  t.regex(f?.fix ?? '', /^add it: the release you run/);
});

test('the spec needs a name and hosts', (t) => {
  const report = loadSpec('{"zookeeper": {"version": "3.4.6"}}', 'spec.json');
  t.deepEqual(report.findings.map((f) => [f.path.join('.'), f.message]).sort(), [
    ['hosts', '"hosts" is required'],
    ['name', '"name" is required'],
  ]);
  t.regex(at(load(threeMasters({ hosts: [] })), 'hosts')?.message ?? '', /at least one host/);
});

test('an unknown role is refused with the roles there are', (t) => {
  const spec = threeMasters();
  host(spec, 3).roles = ['mesos-slave'];
  const f = at(load(spec), 'hosts.3.roles.0');
  t.is(f?.severity, 'error');
  t.regex(f?.fix ?? '', /^use one of: "zookeeper", "mesos-master", "mesos-agent"/);
});

test('every shape error of a spec is reported at once', (t) => {
  const spec = {
    name: 'Bad_Name',
    hosts: [
      {
        name: 'a',
        address: '10.0.0.300',
        roles: ['zookeeper', 'nosuchrole'],
        zookeeper: { clientport: 2182 },
      },
      { name: 'b', address: '10.0.0.2', roles: ['zookeeper'], zookeeper: { id: 0 } },
      { name: 'c', address: '10.0.0.3', roles: ['zookeeper'], zookeeper: { id: 256 } },
    ],
    zookeeper: { clientPort: '2181' },
    hostz: true,
  };
  const report = load(spec);
  t.true(
    report.findings.every((f) => f.severity === 'error' && f.check === 'schema'),
    show(report),
  );
  t.deepEqual(report.findings.map((f) => f.path.join('.')).sort(), [
    'hosts.0.address',
    'hosts.0.roles.1',
    'hosts.0.zookeeper.clientport',
    'hosts.1.zookeeper.id',
    'hosts.2.zookeeper.id',
    'hostz',
    'name',
    'zookeeper.clientPort',
    'zookeeper.version',
  ]);
  t.is(report.findings.length, 9, 'one finding per problem, none twice');
  t.regex(at(report, 'name')?.message ?? '', /lowercase/);
  t.regex(at(report, 'hosts.1.zookeeper.id')?.message ?? '', /start at 1/);
  t.regex(at(report, 'hosts.2.zookeeper.id')?.message ?? '', /up to 255/);
  t.regex(at(report, 'zookeeper.clientPort')?.fix ?? '', /without quotes/);
  t.falsy(report.plan);
});

test('ports out of range and wrong enum values are refused', (t) => {
  const report = load(
    threeMasters({ zookeeper: { version: '3.4.6', clientPort: 0, peerPort: 65536, runtime: 'podman' } }),
  );
  t.deepEqual(report.findings.map((f) => f.path.join('.')).sort(), [
    'zookeeper.clientPort',
    'zookeeper.peerPort',
    'zookeeper.runtime',
  ]);
  t.regex(at(report, 'zookeeper.runtime')?.fix ?? '', /"package", "docker"/);
});

test('a spec that is not a mapping is one clear error', (t) => {
  for (const [text, file] of [
    ['- a\n- b\n', 'list.yaml'],
    ['just words\n', 'scalar.yaml'],
    ['', 'empty.yaml'],
    ['[1, 2]', 'list.json'],
  ] as const) {
    const report = loadSpec(text, file);
    t.is(report.findings.length, 1, file);
    t.deepEqual(report.findings[0]?.path, [], file);
    t.regex(report.findings[0]?.message ?? '', /must be a mapping/, file);
    t.falsy(report.plan);
  }
});

test('a "$schema" key for editors is allowed', (t) => {
  const report = load(threeMasters({ $schema: '../packages/cluster-spec/schema/k8sm-spec.schema.json' }));
  t.deepEqual(report.findings, []);
  t.truthy(report.plan);
});

test('a waiver of a check that does not exist offers the nearest id', (t) => {
  const report = load(threeMasters({ waive: { 'even-ensmble': 'typo' } }));
  const f = at(report, 'waive.even-ensmble');
  t.is(f?.severity, 'error');
  t.is(f?.message, 'there is no check "even-ensmble" to waive');
  t.regex(f?.fix ?? '', /^did you mean "even-ensemble"\?/);
  t.notRegex(f?.fix ?? '', /quorum-not-majority/, 'only waivable checks are listed');
  t.falsy(report.plan);
});

test('a waiver must state its reason', (t) => {
  const f = at(load(threeMasters({ waive: { 'even-ensemble': '' } })), 'waive.even-ensemble');
  t.regex(f?.message ?? '', /state why/);
});

test('pod ranges and the service range must be CIDRs', (t) => {
  const report = load(k8s({ serviceClusterIpRange: '10.254.0.0' }, ['10.0.1.0/33', '10.0.2.0/24']));
  t.deepEqual(report.findings.map((f) => f.path.join('.')).sort(), [
    'hosts.1.kubernetes.podCidr',
    'kubernetes.serviceClusterIpRange',
  ]);
  t.regex(find(report, 'schema')[0]?.message ?? '', /is not an IPv4 CIDR range/);
});

// The zod → finding translation (src/findings.ts).

test('a non-integer port asks for an integer', (t) => {
  const f = at(
    load(threeMasters({ zookeeper: { version: '3.4.6', clientPort: 2181.5 } })),
    'zookeeper.clientPort',
  );
  t.notRegex(`${f?.message} ${f?.fix}`, /\ba int\b/);
});

test('a bad flag name keeps the schema’s own message', (t) => {
  const f = at(
    load(threeMasters({ mesos: { version: '1.11.0', master: { flags: { '--log_dir': '/x' } } } })),
    'mesos.master.flags.--log_dir',
  );
  t.regex(f?.message ?? '', /lower_snake_case, without --/);
});

test('env-file values: plain ones as they are, others double-quoted with ", \\, $ and ` escaped', async (t) => {
  const { envFileQuote } = await import('../src/index.js');
  t.is(
    envFileQuote('http://10.0.0.1:2379,http://10.0.0.2:2379'),
    'http://10.0.0.1:2379,http://10.0.0.2:2379',
  );
  t.is(envFileQuote('a b'), '"a b"');
  t.is(envFileQuote('say "$HOME" `x` \\'), '"say \\"\\$HOME\\" \\`x\\` \\\\"');
});

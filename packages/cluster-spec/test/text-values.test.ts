import test from 'ava';
import { formatFinding, loadSpec, specJsonSchema } from '../src/index.js';
import { host, load, type SpecIn, threeMasters } from './helpers.js';

// What a terminal, a config line or a reviewer's eye acts on: controls, separators, bidi.
const HOSTILE = [
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2067',
];

type Schema = Record<string, unknown>;

/** Every schema of a string in the JSON Schema (values and record keys), with where it is. */
function stringSchemas(root: Schema): [where: string, schema: Schema][] {
  const out: [string, Schema][] = [];
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${where}[${i}]`);
    } else if (node && typeof node === 'object') {
      const schema = node as Schema;
      if (schema.type === 'string') out.push([where, schema]);
      for (const [key, value] of Object.entries(schema)) walk(value, `${where}/${key}`);
    }
  };
  walk(root, '#');
  return out;
}

/** Whether an editor validating against `schema` accepts `value` (only the string keywords k8sm uses). */
function editorAccepts(schema: Schema, value: string): boolean {
  if (Array.isArray(schema.enum)) return schema.enum.includes(value);
  if (schema.format === 'ipv4') return /^(\d{1,3}\.){3}\d{1,3}$/.test(value);
  const patterns = [schema.pattern, ...((schema.allOf as Schema[] | undefined) ?? []).map((s) => s.pattern)];
  return patterns.every((p) => p === undefined || new RegExp(String(p), 'u').test(value));
}

test('every string of the JSON Schema, keys included, refuses control, separator and bidi characters', (t) => {
  const strings = stringSchemas(specJsonSchema());
  t.true(strings.length > 60, `found ${strings.length}`);
  for (const [where, schema] of strings) {
    const multiline = /\/(cmd|command)$/.test(where);
    for (const bad of HOSTILE) {
      if (multiline && (bad === '\n' || bad === '\t')) continue;
      t.false(editorAccepts(schema, `a${bad}b`), `${where} accepts ${JSON.stringify(bad)}`);
    }
  }
});

const set = (spec: SpecIn, path: (string | number)[], value: unknown): SpecIn => {
  let node = spec as Record<string | number, unknown>;
  for (const [i, key] of path.slice(0, -1).entries()) {
    node[key] ??= typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path.at(-1) as string] = value;
  return spec;
};

const mesosAgents = () => {
  const spec = threeMasters();
  spec.mesos = { version: '1.11.0' };
  return spec;
};

// Free text of every kind: a description, a reason, a token, an attribute, an env value, a flag value.
const TEXT_FIELDS: [path: (string | number)[], spec: () => SpecIn, wrap?: (v: string) => unknown][] = [
  [['description'], threeMasters],
  [['waive', 'even-ensemble'], threeMasters],
  [['mesos', 'cluster'], mesosAgents],
  [['mesos', 'agent', 'attributes', 'rack'], mesosAgents],
  [['mesos', 'agent', 'dockerDaemonArgs', 0], mesosAgents],
  [['mesos', 'master', 'flags', 'cluster'], mesosAgents],
  [['marathon', 'apps', 0, 'env', 'GREETING'], threeMasters],
  [['hosts', 0, 'name'], threeMasters],
  [['name'], threeMasters],
];

const app = { id: '/web', cpus: 0.1, mem: 32 };

for (const [path, spec] of TEXT_FIELDS)
  test(`${path.join('.')}: each control, separator or bidi character is refused at its path`, (t) => {
    for (const bad of HOSTILE) {
      const s = spec();
      if (path[0] === 'marathon') s.marathon = { version: '1.11.24', apps: [{ ...app }] };
      const report = load(set(s, path, `ok${bad}ok`));
      const f = report.findings.find((x) => x.path.join('.') === path.join('.'));
      t.is(
        f?.severity,
        'error',
        `${JSON.stringify(bad)}: ${report.findings.map((x) => formatFinding(x)).join('\n')}`,
      );
      t.falsy(report.plan);
    }
  });

test('the finding names the character, where it is, and the fix; a JSON spec locates it', (t) => {
  const spec = threeMasters();
  spec.description = 'ok\u202eko';
  const text = JSON.stringify(spec, null, 2);
  const line = text.split('\n').findIndex((l) => l.startsWith('  "description"')) + 1;
  const report = loadSpec(text, 'spec.json');
  t.deepEqual(
    report.findings.map((f) => formatFinding(f, 'spec.json')),
    [
      `spec.json:${line}:3: error description: a bidi control (U+202E) at character 3 is not allowed here: write the value on one line, without control characters`,
    ],
  );
});

test('record keys are checked too: an attribute key is a name, an env key a variable name', (t) => {
  const spec = mesosAgents();
  set(spec, ['mesos', 'agent', 'attributes'], { '../../etc/cron.d/x': 'y', 'a\u001bb': 'c' });
  spec.marathon = { version: '1.11.24', apps: [{ ...app, env: { 'A=B': 'x' } }] };
  const report = load(spec);
  t.deepEqual(
    report.findings.map((f) => [f.path.join('.'), f.message.split(':')[0]]),
    [
      ['mesos.agent.attributes.../../etc/cron.d/x', 'invalid key'],
      ['mesos.agent.attributes.a\u001bb', 'invalid key'],
      ['marathon.apps.0.env.A=B', 'invalid key'],
    ],
  );
  t.regex(
    report.findings.map((f) => formatFinding(f)).join('\n'),
    /attributes\["a\\u001bb"\]/,
    'printed escaped, never raw',
  );
});

test('a Marathon command may span lines (the one allow-list: JSON-encoded only); escapes and bidi may not', (t) => {
  const withCmd = (cmd: string) =>
    load(
      threeMasters({
        marathon: {
          version: '1.11.24',
          apps: [{ ...app, cmd, healthChecks: [{ protocol: 'COMMAND', command: cmd }] }],
        },
      }),
    );
  t.truthy(withCmd('set -e\n\tpython3 -m http.server $PORT0').plan);
  const report = withCmd('echo \u001b]0;owned\u0007');
  t.deepEqual(
    report.findings.map((f) => f.path.join('.')),
    ['marathon.apps.0.cmd', 'marathon.apps.0.healthChecks.0.command'],
  );
  t.regex(report.findings[0]?.message ?? '', /an escape \(U\+001B\) at character 6 .*only newline and tab/);
});

test('host names are DNS names, at most 63 characters, and the message says so', (t) => {
  const nameOk = (name: string) => {
    const spec = threeMasters();
    host(spec, 0).name = name;
    return load(spec).findings.find((f) => f.path.join('.') === 'hosts.0.name');
  };
  t.is(nameOk('mesos-master1.dc1.example'), undefined);
  t.is(nameOk('Node-1'), undefined, 'DNS is case-insensitive: not refused before, not now');
  t.is(nameOk('a'.repeat(63)), undefined);
  for (const bad of ['a'.repeat(64), 'under_score', 'a..b', '-a', 'a-', 'a.-b', 'a b', '.a'])
    t.regex(nameOk(bad)?.message ?? '(accepted)', /DNS names: .* at most 63 characters in all$/, bad);
});

test('the cluster name is one DNS label, and the message states the 63-character limit', (t) => {
  const report = load(threeMasters({ name: 'x'.repeat(64) }));
  t.regex(report.findings[0]?.message ?? '', /DNS labels: .* at most 63 characters$/);
  t.truthy(load(threeMasters({ name: 'x'.repeat(63) })).plan);
});

test('other name-like fields follow their grammar: scheduler hosts, cluster domain, stats user', (t) => {
  const bad = load(
    threeMasters({
      kubernetes: {
        version: '1.6.0',
        flavor: 'standalone',
        clusterDomain: 'cluster.local\nx',
        scheduler: { hosts: ['m1;id'] },
      },
      haproxy: {
        version: '2.6',
        stats: { port: 8404, user: 'admin\nstats admin if TRUE', password: { env: 'P' } },
      },
    }),
  );
  t.deepEqual(
    bad.findings.filter((f) => f.check === 'schema').map((f) => f.path.join('.')),
    ['kubernetes.clusterDomain', 'kubernetes.scheduler.hosts.0', 'haproxy.stats.user'],
  );
});

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import {
  example,
  noStack,
  removeTempDirs,
  render,
  renderBin,
  snapshot,
  tempDir,
  threeMasters,
  writeSpec,
} from './helpers.js';

test.after.always(removeTempDirs);

/** An even ZooKeeper ensemble: valid, with one warning. */
function evenSpec() {
  const spec = threeMasters();
  spec.hosts.push({ name: 'zk4', address: '10.16.40.4', roles: ['zookeeper'] });
  return spec;
}

test('a valid example: one line on stdout, exit 0, nothing written', (t) => {
  const cwd = tempDir();
  const file = example('mesosphere-3-masters.json');
  const r = render(['validate', file], cwd);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `k8sm-render: ${file} is valid: 6 hosts, 0 warning(s)\n`);
  t.is(r.stderr, '');
  t.deepEqual(readdirSync(cwd), []);
});

test('warnings are printed as render prints them; --strict makes them fail with the same findings', (t) => {
  const cwd = tempDir();
  const file = writeSpec(cwd, 'even.json', evenSpec());
  const ok = render(['validate', file], cwd);
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout, `k8sm-render: ${file} is valid: 5 hosts, 1 warning(s)\n`);
  t.regex(
    ok.stderr,
    /^.*even\.json:\d+:\d+: warning \[even-ensemble\] zookeeper: the ZooKeeper ensemble has 4 members/,
  );
  const rendered = render([file, '-o', 'out'], cwd);
  t.is(ok.stderr, rendered.stderr, 'the same warnings as a render');

  const strict = render(['validate', file, '--strict'], cwd);
  t.is(strict.code, 1);
  t.is(strict.stdout, '');
  t.regex(strict.stderr, /even\.json: 1 warning, and --strict makes warnings fail; nothing was written/);
  t.is(strict.stderr, render([file, '-o', 'out2', '--strict'], cwd).stderr, 'the same output as render');
  t.deepEqual(readdirSync(cwd).sort(), ['even.json', 'out'], 'validate wrote nothing');
});

test('an invalid spec: exit 1, file:line:column in each finding, the same output as render', (t) => {
  const cwd = tempDir();
  const file = writeSpec(cwd, 'spec.json', threeMasters({ zookeper: {} }));
  const r = render(['validate', file], cwd);
  t.is(r.code, 1);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^k8sm-render: .*spec\.json is not a valid cluster spec: 1 error; nothing was written\n/);
  t.regex(
    r.stderr,
    /spec\.json:\d+:\d+: error zookeper: unknown key "zookeper"\n\s+fix: did you mean "zookeeper"/,
  );
  t.true(noStack(r.stderr), r.stderr);
  t.is(r.stderr, render([file, '-o', 'out'], cwd).stderr);
  const yaml = writeSpec(cwd, 'spec.yaml', 'name: x\nhosts:\n  - name: a\n   address: 10.0.0.1\n');
  const syntax = render(['validate', yaml], cwd);
  t.is(syntax.code, 1);
  t.regex(syntax.stderr, /spec\.yaml:\d+:\d+: invalid YAML/);
  t.deepEqual(readdirSync(cwd).sort(), ['spec.json', 'spec.yaml']);
});

test('--json: a summary on stdout, or the findings', (t) => {
  const cwd = tempDir();
  const file = writeSpec(cwd, 'even.json', evenSpec());
  const ok = render(['validate', file, '--json'], cwd);
  t.is(ok.code, 0, ok.stderr);
  const summary = JSON.parse(ok.stdout);
  t.deepEqual(Object.keys(summary), ['ok', 'spec', 'name', 'hosts', 'warnings', 'waived']);
  t.like(summary, { ok: true, spec: file, name: 'demo', hosts: 5, waived: [] });
  t.is(summary.warnings.length, 1);
  t.like(summary.warnings[0], { severity: 'warning', check: 'even-ensemble', path: 'zookeeper' });
  t.regex(ok.stderr, /warning \[even-ensemble\]/, 'the warnings also on stderr, as render --json');
  const strict = render(['validate', file, '--json', '--strict'], cwd);
  t.is(strict.code, 1);
  t.like(JSON.parse(strict.stdout), { ok: false, strict: true, findings: [{ check: 'even-ensemble' }] });
  const bad = writeSpec(cwd, 'bad.json', threeMasters({ zookeper: {} }));
  const invalid = render(['validate', bad, '--json'], cwd);
  t.is(invalid.code, 1);
  const findings = JSON.parse(invalid.stdout);
  t.like(findings, { ok: false, spec: bad, strict: false });
  t.like(findings.findings[0], { severity: 'error', check: 'schema', path: 'zookeper' });
  t.true(Number.isInteger(findings.findings[0].line) && Number.isInteger(findings.findings[0].column));
  const yaml = writeSpec(cwd, 'spec.yaml', 'name: x\nhosts: [\n');
  const syntax = render(['validate', yaml, '--json'], cwd);
  t.is(syntax.code, 1);
  t.like(JSON.parse(syntax.stdout), { ok: false, findings: [{ check: 'syntax', line: 3, column: 1 }] });
  t.deepEqual(readdirSync(cwd).sort(), ['bad.json', 'even.json', 'spec.yaml']);
});

test('- reads the spec from standard input, named <stdin>', (t) => {
  const cwd = tempDir();
  const input = readFileSync(example('mesosphere-3-masters.json'), 'utf8');
  const r = spawnSync(process.execPath, [renderBin, 'validate', '-'], { cwd, input, encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, 'k8sm-render: <stdin> is valid: 6 hosts, 0 warning(s)\n');
  const bad = spawnSync(process.execPath, [renderBin, 'validate', '-'], {
    cwd,
    input: JSON.stringify(threeMasters({ zookeper: {} }), null, 2),
    encoding: 'utf8',
  });
  t.is(bad.status, 1);
  t.regex(bad.stderr, /^<stdin>:\d+:\d+: error zookeper: unknown key/m);
  t.deepEqual(readdirSync(cwd), []);
});

test('a TLS spec: no PKI is created; with its PKI the spec validates and the PKI dir is untouched', (t) => {
  const cwd = tempDir();
  const name = 'kubernetes-1.30-ha.yaml';
  copyFileSync(example(name), join(cwd, name));
  const missing = render(['validate', name], cwd);
  t.is(missing.code, 1, 'as --dry-run: the PKI dir lacks what the render reads');
  t.regex(missing.stderr, /lacks etcd\/ca\.crt/);
  t.false(existsSync(join(cwd, 'pki')), 'no PKI was created');
  t.is(render(['pki', name], cwd).code, 0);
  const before = snapshot(cwd);
  const ok = render(['validate', name], cwd);
  t.is(ok.code, 0, ok.stderr);
  t.regex(ok.stdout, /^k8sm-render: kubernetes-1\.30-ha\.yaml is valid: \d+ hosts, \d+ warning\(s\)\n$/);
  t.deepEqual(snapshot(cwd), before);
});

test('usage errors: no spec, two specs, an option validate does not take (exit 2)', (t) => {
  const cwd = tempDir();
  for (const [args, message] of [
    [['validate'], /missing the spec file/],
    [['validate', 'a.json', 'b.json'], /one spec file at a time; also got b\.json/],
    [['validate', 'a.json', '-o', 'out'], /Unknown option '-o': k8sm-render validate does not take it/],
  ] as const) {
    const r = render(args, cwd);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, message);
    t.regex(r.stderr, /Usage:\n {2}k8sm-render validate /);
  }
  t.deepEqual(readdirSync(cwd), []);
});

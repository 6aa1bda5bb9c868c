import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pki from '@k8sm/pki';
import * as probes from '@k8sm/probes';
import * as ansible from '@k8sm/render-ansible';
import * as cluster from '@k8sm/render-cluster';
import * as etcd from '@k8sm/render-etcd';
import * as haproxy from '@k8sm/render-haproxy';
import * as k8s from '@k8sm/render-k8s-manifests';
import * as mesos from '@k8sm/render-mesos';
import * as zookeeper from '@k8sm/render-zookeeper';
import * as spec from '@k8sm/spec';
import test from 'ava';
import * as cli from '../src/errors.js';

// Every error class k8sm has, its stable code and name: scripts and the CLI's top-level catch go
// by the code, so a code never changes. docs/errors.md is generated from this table
// (K8SM_UPDATE_DOCS=1 rewrites it).
// biome-ignore format: one row per class
const ERRORS: readonly (readonly [spec.K8smError, string, string, string])[] = [
  [new spec.K8smError('K8SM_ERROR', 'm'), 'K8SM_ERROR', 'K8smError', 'the base class; never raised with this code'],
  [new spec.SpecSyntaxError('s.yaml', 1, 2, 'm'), 'K8SM_SPEC_SYNTAX', 'SpecSyntaxError', 'the spec is not valid JSON or YAML, or nests, aliases or anchors beyond the limits'],
  [new spec.SpecTooLargeError('s.yaml', 4 * 1024 * 1024), 'K8SM_SPEC_TOO_LARGE', 'SpecTooLargeError', 'the spec is larger than the 4 MiB k8sm reads; refused before it is parsed'],
  [new spec.ArtifactConflictError('w', 'a', 'b'), 'K8SM_ARTIFACT_CONFLICT', 'ArtifactConflictError', 'two renderers produce one file'],
  [new spec.ArtifactPathError('etcd', 'x'), 'K8SM_ARTIFACT_PATH', 'ArtifactPathError', 'a renderer produces a file at a relative or unnormalised path'],
  [new spec.MissingPkiFileError('etcd/ca.crt'), 'K8SM_PKI_MISSING', 'MissingPkiFileError', 'a renderer is given PKI contents that lack a file it places'],
  [new spec.DuplicateFlagError('tls-cert-file', 'apiserver on m1', 'kubernetes.extraArgs.apiserver.tls-cert-file'), 'K8SM_DUPLICATE_FLAG', 'DuplicateFlagError', 'a renderer would give one binary the same flag twice (the checks refuse such a spec first)'],
  [new spec.ConfigValueError('/etc/zookeeper/conf/zoo.cfg', 'dataDir', 'holds the control character U+000A', 'remove it'), 'K8SM_CONFIG_VALUE', 'ConfigValueError', 'a value cannot be written into a config file safely: a control character, or a delimiter the format has no escape for (the writers of each config format refuse it)'],
  [new spec.ShellValueError('a\0b', 'holds a NUL byte'), 'K8SM_SHELL_VALUE', 'ShellValueError', 'a spec value no rendered script can hold: a NUL byte, or a line break in a comment'],
  [new probes.EndpointError('m'), 'K8SM_PROBE_ENDPOINT', 'EndpointError', 'a probe function is given a ZooKeeper member that is not host:port with a port from 1 to 65535 (k8sm-probe checks its flags first: ProbeInputError)'],
  [new haproxy.HaproxyConfigError('s', []), 'K8SM_HAPROXY_CONFIG', 'HaproxyConfigError', "the rendered haproxy.cfg, or the spec's own template, fails the config checks"],
  [new haproxy.MarathonResponseError('m'), 'K8SM_MARATHON_RESPONSE', 'MarathonResponseError', 'Marathon answers the bridge with something other than its apps'],
  [new cluster.InvalidSpecError('s.json', { findings: [], waived: [], source: spec.parseSpecText('{}', 's.json') }, true), 'K8SM_SPEC_INVALID', 'InvalidSpecError', 'renderCluster() is given a spec with errors, or with warnings when strict: the error holds the report with every finding (k8sm-render prints them and exits 1)'],
  [new cli.UsageError('m'), 'K8SM_USAGE', 'UsageError', 'wrong flags or arguments (exit 2, or 3 for k8sm-probe)'],
  [new cli.ProbeInputError('m'), 'K8SM_PROBE_INPUT', 'ProbeInputError', 'k8sm-probe is given what it cannot probe (a port outside 1-65535, an empty member list, more than 256 members to a flag, a timeout out of range): exit 3, UNKNOWN, with that line in the chosen output format, and no probe sent'],
  [new cli.FileAccessError('m'), 'K8SM_FILE_ACCESS', 'FileAccessError', 'the spec, an input file or the output directory cannot be read or written'],
  [new cli.OutputLockedError('m'), 'K8SM_OUTPUT_LOCKED', 'OutputLockedError', 'another k8sm-render holds the lock of the output directory (`.<dir>.k8sm-lock`, beside it); a lock whose process is gone is broken'],
  [new cli.OutputOwnerError('m'), 'K8SM_OUTPUT_OWNER', 'OutputOwnerError', 'the output directory is not empty and lacks the `.k8sm-output.json` marker, or holds the render of another spec (`--force` replaces it)'],
  [new cli.MissingPkiError('m'), 'K8SM_PKI_DIR', 'MissingPkiError', "the spec's PKI dir lacks files rendering needs, or one cannot be read"],
  [new cli.UnsafePkiError('m'), 'K8SM_PKI_UNSAFE', 'UnsafePkiError', 'a PKI dir is writable by its group or everyone, or holds a symbolic link (dangling or not), a FIFO or a device: nothing is read or written'],
  [new cli.ListenError('m'), 'K8SM_LISTEN', 'ListenError', '`k8sm-probe serve` cannot listen where `--listen` says: the address is in use, not of this host, or a port below 1024 without the right (exit 1)'],
  [new cli.MarathonUnreachableError('m'), 'K8SM_MARATHON', 'MarathonUnreachableError', 'no Marathon of the list answers the bridge with its apps'],
  [new cli.HaproxyApplyError('m'), 'K8SM_HAPROXY', 'HaproxyApplyError', 'the bridge cannot run HAProxy, or HAProxy refuses or fails to reload the new config'],
];

// a class is listed under the first module exporting it: @k8sm/spec before the renderers that re-export
const MODULES: Record<string, Record<string, unknown>> = {
  '@k8sm/spec': spec,
  '@k8sm/pki': pki,
  '@k8sm/probes': probes,
  '@k8sm/render-ansible': ansible,
  '@k8sm/render-cluster': cluster,
  '@k8sm/render-etcd': etcd,
  '@k8sm/render-haproxy': haproxy,
  '@k8sm/render-k8s-manifests': k8s,
  '@k8sm/render-mesos': mesos,
  '@k8sm/render-zookeeper': zookeeper,
  'k8sm-render': cli,
};

type ErrorClass = abstract new (...args: never[]) => Error;
const isErrorClass = (value: unknown): value is ErrorClass =>
  typeof value === 'function' && (value === Error || value.prototype instanceof Error);

/** Each exported error class with the first module exporting it (the renderers re-export some). */
function exportedErrorClasses(): Map<ErrorClass, string> {
  const found = new Map<ErrorClass, string>();
  for (const [name, module] of Object.entries(MODULES))
    for (const value of Object.values(module))
      if (isErrorClass(value) && !found.has(value)) found.set(value, name);
  return found;
}

const classOf = (error: spec.K8smError) => error.constructor as typeof spec.K8smError;

test('every error class has its own code and name, and its errors carry them', (t) => {
  for (const [error, code, name] of ERRORS) {
    const Class = classOf(error);
    t.is(Class.name, name, `${name}: the class`);
    t.true(Object.hasOwn(Class, 'code'), `${name} declares its own code`);
    t.is(Class.code, code, `${name}: the class's code`);
    t.is(error.code, code, `${name}: an error's code`);
    t.is(error.name, name, `${name}: an error's name (set literally: the CLI bundle is minified)`);
    t.true(error instanceof Class);
    t.true(error instanceof spec.K8smError, `${name} extends K8smError`);
    t.regex(code, /^K8SM_[A-Z_]+$/);
  }
  const codes = ERRORS.map(([, code]) => code);
  t.deepEqual([...new Set(codes)], codes, 'no two classes share a code');
});

test('an error is an instance of its own class only (besides the base)', (t) => {
  for (const [error, , name] of ERRORS)
    for (const [other, , otherName] of ERRORS) {
      const Other = classOf(other);
      if (Other !== classOf(error) && Other !== spec.K8smError)
        t.false(error instanceof Other, `${name} is no ${otherName}`);
    }
});

test('every error class a package exports is in the table, and every row is exported', (t) => {
  const exported = exportedErrorClasses();
  const inTable = new Set<ErrorClass>(ERRORS.map(([error]) => classOf(error)));
  for (const [Class, module] of exported)
    t.true(inTable.has(Class), `${module} exports ${Class.name}, which has no row`);
  for (const Class of inTable)
    t.true(exported.has(Class), `${Class.name} is in the table but exported nowhere`);
});

const root = fileURLToPath(new URL('../../../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test("error classes are defined only in a package's src/errors.ts", (t) => {
  const elsewhere: string[] = [];
  for (const top of ['packages', 'apps'])
    for (const pkg of readdirSync(join(root, top)))
      for (const file of sourceFiles(join(root, top, pkg, 'src'))) {
        if (file.endsWith(`${join('src', 'errors.ts')}`)) continue;
        for (const m of readFileSync(file, 'utf8').matchAll(/class (\w+) extends \w*Error\b/g))
          elsewhere.push(`${relative(root, file)}: ${m[1]}`);
      }
  t.deepEqual(elsewhere, [], "move these classes to the package's src/errors.ts");
});

function errorsDoc(): string {
  const exported = exportedErrorClasses();
  const rows = ERRORS.map(
    ([error, code, name, when]) =>
      `| \`${code}\` | \`${name}\` | ${exported.get(classOf(error))} | ${when} |`,
  );
  return `# Error codes

<!-- generated from the table in apps/cli/test/errors.test.ts: K8SM_UPDATE_DOCS=1 npx -y pnpm@10.34.9 test:unit -->

Every error k8sm raises on purpose extends \`K8smError\` (from \`@k8sm/spec\`) and carries a stable
\`code\`. The CLI reports these as bad input with the message alone (exit 1; usage errors exit 2,
or 3 for k8sm-probe) and anything else as an internal error. Match on \`code\`, or use
\`instanceof\`: it goes by a brand and the code, so it holds across two copies of a package.

| Code | Class | Package | Raised when |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
}

test('docs/errors.md is the table above', (t) => {
  const path = join(root, 'docs', 'errors.md');
  if (process.env.K8SM_UPDATE_DOCS === '1') writeFileSync(path, errorsDoc());
  t.is(readFileSync(path, 'utf8'), errorsDoc(), 'run with K8SM_UPDATE_DOCS=1 and review docs/errors.md');
});

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// The CLI bundles the libraries, so a fix in one reaches users only through a new k8sm-render:
// the release plan of a library-only changeset, as changesets itself computes it, must release
// the CLI too. The workspace's manifests and changeset config are copied into a scratch git repo.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const changeset = join(root, 'node_modules/@changesets/cli/bin.js');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}
const packageDirs = ['packages', 'apps'].flatMap((top) =>
  readdirSync(join(root, top)).map((d) => `${top}/${d}`),
);
const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest;

interface ReleasePlan {
  releases: { name: string; type: string; oldVersion: string; newVersion: string }[];
}

function releasePlan(config: object, bumps: Record<string, 'patch' | 'minor'>): ReleasePlan {
  const repo = mkdtempSync(join(tmpdir(), 'k8sm-train-'));
  try {
    for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(repo, file));
    for (const dir of packageDirs) {
      mkdirSync(join(repo, dir), { recursive: true });
      cpSync(join(root, dir, 'package.json'), join(repo, dir, 'package.json'));
    }
    mkdirSync(join(repo, '.changeset'));
    writeFileSync(join(repo, '.changeset/config.json'), JSON.stringify(config));
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const front = Object.entries(bumps).map(([name, type]) => `"${name}": ${type}`);
    writeFileSync(
      join(repo, '.changeset/library-fix.md'),
      `---\n${front.join('\n')}\n---\n\na library fix\n`,
    );
    const r = spawnSync(process.execPath, [changeset, 'status', '--output=plan.json'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`changeset status exited ${r.status}: ${r.stdout}${r.stderr}`);
    return JSON.parse(readFileSync(join(repo, 'plan.json'), 'utf8')) as ReleasePlan;
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

const config = JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8')) as {
  fixed: string[][];
};
const released = (plan: ReleasePlan) =>
  Object.fromEntries(
    plan.releases
      .filter((r) => r.type !== 'none')
      .map((r) => [r.name, `${r.type} ${r.oldVersion} -> ${r.newVersion}`]),
  );

test('a patch changeset for @k8sm/spec alone releases a new k8sm-render, and every public package at one version', (t) => {
  const plan = released(releasePlan(config, { '@k8sm/spec': 'patch' }));
  t.log(plan);
  const cli = manifestOf('apps/cli');
  t.is(plan[cli.name], `patch ${cli.version} -> 0.0.1`);
  for (const dir of packageDirs) {
    const m = manifestOf(dir);
    if (m.private) t.is(plan[m.name], undefined, `${m.name} is private: never released`);
    else t.is(plan[m.name], `patch ${m.version} -> 0.0.1`, m.name);
  }
});

test('a minor change in one renderer moves the whole train to the same minor', (t) => {
  const plan = released(releasePlan(config, { '@k8sm/render-etcd': 'minor', '@k8sm/probes': 'patch' }));
  t.is(plan['k8sm-render'], 'minor 0.0.0 -> 0.1.0');
  t.is(plan['@k8sm/render-zookeeper'], 'minor 0.0.0 -> 0.1.0');
});

test('without the fixed group the same changeset leaves the CLI unreleased (what the issue found)', (t) => {
  const plan = released(releasePlan({ ...config, fixed: [] }, { '@k8sm/spec': 'patch' }));
  t.is(plan['k8sm-render'], undefined);
  t.truthy(plan['@k8sm/spec']);
});

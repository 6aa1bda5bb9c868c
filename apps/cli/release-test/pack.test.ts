import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// What a user gets from npm: every public package packed from a tree that was never built (its
// prepack builds it), installed by plain npm into an empty project, then used as a user would:
// both bins, an ES module import of every library, and TypeScript under node16 and bundler
// resolution. Run after the other tests (`turbo run test:release`): it builds the whole tree again.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const PNPM = ['-y', 'pnpm@10.34.9'];
const tsc = join(root, 'node_modules/typescript/bin/tsc');

interface Manifest {
  name: string;
  private?: boolean;
  bin?: Record<string, string>;
  version: string;
}
const workspace = ['packages', 'apps'].flatMap((top) =>
  readdirSync(join(root, top)).map((dir) => ({
    dir: join(root, top, dir),
    manifest: JSON.parse(readFileSync(join(root, top, dir, 'package.json'), 'utf8')) as Manifest,
  })),
);
const published = workspace.filter((p) => !p.manifest.private);
const libraries = published.filter((p) => p.manifest.bin === undefined).map((p) => p.manifest.name);
const cliPackage = published.find((p) => p.manifest.bin !== undefined);
// pnpm's name for a package's tarball: @k8sm/spec 1.2.3 is k8sm-spec-1.2.3.tgz
const tarballOf = (m: Manifest) => `${m.name.replace(/^@/, '').replace('/', '-')}-${m.version}.tgz`;

function sh(
  t: { log: (...a: string[]) => void },
  command: string,
  args: readonly string[],
  options: SpawnSyncOptions,
) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000, ...options });
  const out = `${String(r.stdout ?? '')}${String(r.stderr ?? '')}`;
  if (r.status !== 0)
    t.log(
      `${command} ${args.join(' ')} (in ${String(options.cwd)}) exited ${r.status}:\n${out.slice(-4000)}`,
    );
  return { code: r.status, out, stdout: String(r.stdout ?? '') };
}

const work = mkdtempSync(join(tmpdir(), 'k8sm-pack-'));
test.after.always(() => rmSync(work, { recursive: true, force: true }));

test.serial(
  'every public package packs from a never-built tree, installs with npm and works as a user uses it',
  (t) => {
    t.truthy(cliPackage, 'the CLI package has bins');
    t.true(libraries.length >= 10, `libraries: ${libraries.join(', ')}`);

    // 1. A tree as a clean clone has it: the committed and new files, no dist, no node_modules.
    const src = join(work, 'src');
    const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    });
    t.is(files.status, 0, files.stderr);
    for (const file of files.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(join(root, file))) continue; // deleted in the work tree, not yet committed
      mkdirSync(dirname(join(src, file)), { recursive: true });
      copyFileSync(join(root, file), join(src, file));
    }
    t.false(
      workspace.some((p) => existsSync(join(src, p.dir.slice(root.length), 'dist'))),
      'the copy holds no build output',
    );
    const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
    t.is(
      sh(t, 'npx', [...PNPM, 'install', '--frozen-lockfile', '--offline', '--reporter=silent'], {
        cwd: src,
        env,
      }).code,
      0,
    );

    // 2. Pack: each package's prepack builds it (and what it depends on) first.
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const filters = workspace
      .filter((p) => p.manifest.private)
      .flatMap((p) => [`--filter=!${p.manifest.name}`]);
    const packed = sh(
      t,
      'npx',
      [
        ...PNPM,
        '-r',
        '--workspace-concurrency=1',
        '--filter=!k8sm-workspace',
        ...filters,
        'pack',
        '--pack-destination',
        tarballs,
      ],
      { cwd: src, env },
    );
    t.is(packed.code, 0, 'pnpm -r pack');
    const made = readdirSync(tarballs).sort();
    const expected = published.map((p) => tarballOf(p.manifest)).sort();
    t.deepEqual(made, expected);

    // 3. What each tarball holds: the build, the licence, and the sources its maps point at.
    for (const tarball of made) {
      const list = sh(t, 'tar', ['tzf', join(tarballs, tarball)], {})
        .stdout.split('\n')
        .filter(Boolean);
      const has = new Set(list.map((f) => f.replace(/^package\//, '')));
      t.true(
        has.has('LICENSE') && has.has('README.md') && has.has('package.json'),
        `${tarball}: LICENSE, README.md`,
      );
      if (cliPackage && tarball === tarballOf(cliPackage.manifest)) {
        t.true(
          has.has('dist/k8sm.js') && has.has('dist/THIRD-PARTY-NOTICES.md'),
          `${tarball}: bundle and notices`,
        );
        continue;
      }
      t.true(
        has.has('dist/src/index.js') && has.has('dist/src/index.d.ts'),
        `${tarball}: dist/src/index.{js,d.ts}`,
      );
      const maps = [...has].filter((f) => f.endsWith('.map'));
      t.true(maps.length > 0, `${tarball}: source maps`);
      const unpack = join(work, 'unpacked', tarball);
      mkdirSync(unpack, { recursive: true });
      t.is(sh(t, 'tar', ['xzf', join(tarballs, tarball), '-C', unpack], {}).code, 0);
      for (const map of maps) {
        const { sources } = JSON.parse(readFileSync(join(unpack, 'package', map), 'utf8')) as {
          sources: string[];
        };
        for (const source of sources) {
          const target = posix.normalize(posix.join(posix.dirname(map), source));
          t.true(has.has(target), `${tarball}: ${map} points at ${target}, which is not in the tarball`);
        }
      }
    }

    // 4. An empty project installs the tarballs with plain npm (the registry gives the rest).
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      '{ "name": "consumer", "private": true, "type": "module" }\n',
    );
    const installed = sh(
      t,
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...made.map((f) => join(tarballs, f)),
        '@types/node@20',
      ],
      { cwd: project },
    );
    t.is(installed.code, 0, 'npm install of the tarballs');

    // 5. Both bins, from node_modules/.bin as npm linked them.
    const bin = (name: string) => join(project, 'node_modules/.bin', name);
    copyFileSync(join(root, 'examples/mesosphere-3-masters.json'), join(project, 'spec.json'));
    t.regex(sh(t, bin('k8sm-render'), ['--version'], { cwd: project }).stdout, /^k8sm-render \d+\.\d+\.\d+/);
    const rendered = sh(t, bin('k8sm-render'), ['spec.json', '-o', 'out', '-q'], { cwd: project });
    t.is(rendered.code, 0, 'k8sm-render spec.json -o out');
    t.true(existsSync(join(project, 'out/manifest.json')), 'out/manifest.json');
    t.true(existsSync(join(project, 'out/ansible')), 'out/ansible');
    t.regex(
      sh(t, bin('k8sm-probe'), ['quorum', '5'], { cwd: project }).stdout,
      /majority 3, tolerates 2 failures/,
    );
    t.is(sh(t, bin('k8sm-probe'), ['--help'], { cwd: project }).code, 0);

    // 6. Every library from an ES module script: each loads and exports functions.
    writeFileSync(
      join(project, 'imports.mjs'),
      `for (const name of ${JSON.stringify(libraries)}) {
  const m = await import(name);
  const functions = Object.values(m).filter((v) => typeof v === 'function').length;
  if (functions === 0) throw new Error(name + ' exports no function');
  console.log(name, functions);
}\n`,
    );
    const imported = sh(t, process.execPath, ['imports.mjs'], { cwd: project });
    t.is(imported.code, 0);
    t.is(imported.stdout.trim().split('\n').length, libraries.length, imported.stdout);

    // 7. TypeScript consumers: the declarations resolve and type-check (skipLibCheck off).
    const consumer = [
      ...libraries.map((name, i) => `import * as lib${i} from '${name}';`),
      "import { loadSpec } from '@k8sm/spec';",
      "import { renderZookeeper } from '@k8sm/render-zookeeper';",
      "const report = loadSpec({ name: 'c', hosts: [] });",
      'if (report.plan) console.log(renderZookeeper(report.plan).length);',
      `console.log(${libraries.map((_, i) => `Object.keys(lib${i}).length`).join(' + ')});`,
      '',
    ].join('\n');
    writeFileSync(join(project, 'consumer.ts'), consumer);
    // and the examples of each library's README (its npm page), as the tarball ships it
    const examples: string[] = [];
    for (const name of libraries) {
      const readme = readFileSync(join(project, 'node_modules', name, 'README.md'), 'utf8');
      for (const [i, block] of [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].entries()) {
        const file = `readme-${name.replace(/\W/g, '_')}-${i}.ts`;
        writeFileSync(join(project, file), `${block[1]}\nexport {};\n`);
        examples.push(file);
      }
    }
    t.true(examples.length >= 4, `README examples: ${examples.join(', ')}`);
    for (const [module, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ] as const) {
      const config = `tsconfig.${resolution}.json`;
      writeFileSync(
        join(project, config),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module,
            moduleResolution: resolution,
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
          },
          files: ['consumer.ts', ...examples],
        }),
      );
      t.is(
        sh(t, process.execPath, [tsc, '-p', config], { cwd: project }).code,
        0,
        `tsc with ${resolution} resolution`,
      );
    }
  },
);

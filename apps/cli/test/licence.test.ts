import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// Apache-2.0 wants its text beside the work, and the MIT/BSD/ISC licences of what the CLI bundles
// want their notices in the redistribution. Debian's copy of the Apache licence is the reference.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = join(root, 'apps/cli');
const packageDirs = ['packages', 'apps'].flatMap((top) =>
  readdirSync(join(root, top)).map((name) => join(root, top, name)),
);
const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    license?: string;
    engines?: { node?: string };
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };

test('a LICENSE with the Apache-2.0 text at the root and in every package, which all declare Apache-2.0', (t) => {
  const text = readFileSync(join(root, 'LICENSE'), 'utf8');
  const debian = '/usr/share/common-licenses/Apache-2.0';
  if (existsSync(debian)) t.is(text, readFileSync(debian, 'utf8'));
  t.regex(text, /Apache License\s+Version 2\.0, January 2004/);
  for (const dir of packageDirs) {
    t.is(readFileSync(join(dir, 'LICENSE'), 'utf8'), text, `${dir}/LICENSE`);
    t.is(manifestOf(dir).license, 'Apache-2.0', dir);
  }
});

test('one engines.node range everywhere, and no runtime dependency asks for a newer Node', (t) => {
  const range = manifestOf(root).engines?.node ?? '';
  t.regex(range, /^>=\d+\.\d+\.\d+$/);
  const floor = range.slice(2).split('.').map(Number);
  const below = (v: string) => {
    const parts = v.split('.').map(Number);
    for (let i = 0; i < 3; i++)
      if ((parts[i] ?? 0) !== (floor[i] ?? 0)) return (parts[i] ?? 0) < (floor[i] ?? 0);
    return false;
  };
  for (const dir of packageDirs) {
    const m = manifestOf(dir);
    t.is(m.engines?.node, range, `${m.name}: engines.node`);
    for (const dep of Object.keys(m.dependencies ?? {})) {
      if (dep.startsWith('@k8sm/')) continue;
      const theirs = (
        JSON.parse(readFileSync(join(dir, 'node_modules', dep, 'package.json'), 'utf8')) as {
          engines?: { node?: string };
        }
      ).engines?.node;
      const min = /^>=\s*(\d+(?:\.\d+){0,2})/.exec(theirs ?? '')?.[1];
      if (min)
        t.true(
          below(min) || min === range.slice(2),
          `${m.name} → ${dep} needs node ${theirs}, above ${range}`,
        );
    }
  }
});

test('every package of the CLI bundle has its licence in THIRD-PARTY-NOTICES.md, which the package ships', (t) => {
  const notices = readFileSync(join(cli, 'dist/THIRD-PARTY-NOTICES.md'), 'utf8');
  const inputs = JSON.parse(readFileSync(join(cli, 'dist/bundle-inputs.json'), 'utf8')) as string[];
  // the package each bundled file belongs to: the last node_modules/<name> of its path
  const bundled = new Set(
    inputs.flatMap((p) => {
      const names = [...p.matchAll(/node_modules\/((?:@[^/]+\/)?[^/.][^/]*)/g)].map((m) => m[1] ?? '');
      const name = names.at(-1);
      return name && !name.startsWith('@k8sm/') ? [name] : [];
    }),
  );
  t.true(bundled.has('undici') && bundled.has('zod') && bundled.has('yaml'), [...bundled].join());
  for (const name of bundled) {
    const section = new RegExp(
      `^## ${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\S+ \\([^)]+\\)\\n\\n\`\`\`\\n([^]*?)\\n\`\`\``,
      'm',
    ).exec(notices);
    t.truthy(section, `${name} is in the bundle without a notice`);
    t.regex(
      section?.[1] ?? '',
      /copyright|permission|licen[cs]e/i,
      `${name}: its notice holds no licence text`,
    );
  }
  const files = (JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8')) as { files: string[] }).files;
  t.true(files.includes('dist/THIRD-PARTY-NOTICES.md'));
  t.true(existsSync(join(dirname(join(cli, 'dist/k8sm.js')), 'THIRD-PARTY-NOTICES.md')));
});

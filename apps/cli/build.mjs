// Bundle the CLI into one file: `npx k8sm-render` then installs a single package with no
// dependencies, and start-up loads one module instead of a few hundred.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// chunk names carry a content hash: clear the old ones so none is shipped stale
rmSync('dist/k8sm-chunks', { recursive: true, force: true });

const { metafile } = await build({
  // one entry; what only one command needs (the X.509 library for `pki`) goes to a chunk
  // loaded by that command, so start-up of the others does not parse it
  entryPoints: { k8sm: 'dist/src/main.js' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'k8sm-chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // prefer ESM builds: jsonc-parser's UMD main loads its parts with a require() esbuild cannot follow
  mainFields: ['module', 'main'],
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
  metafile: true,
  banner: {
    // some bundled CommonJS modules call require() for node built-ins
    js: "import { createRequire as __k8smRequire } from 'node:module'; const require = __k8smRequire(import.meta.url);",
  },
});

// The chunk list: each file, and what loading it costs with every chunk it imports statically.
// `k8sm.js` (the dispatcher) should stay small; each command's chunk is loaded by that command only.
const outputs = metafile.outputs;
const closure = (file, seen = new Set()) => {
  if (seen.has(file) || !outputs[file]) return seen;
  seen.add(file);
  for (const i of outputs[file].imports) if (i.kind === 'import-statement') closure(i.path, seen);
  return seen;
};
const kib = (bytes) => `${(bytes / 1024).toFixed(1).padStart(6)} KiB`;
for (const file of Object.keys(outputs).sort()) {
  const loaded = [...closure(file)].reduce((sum, f) => sum + (outputs[f]?.bytes ?? 0), 0);
  console.log(`${file.padEnd(38)} ${kib(outputs[file].bytes)}, loads ${kib(loaded)}`);
}

// Third-party notices: every package whose code is in the bundle, with its licence text, as the
// licences of zod, yaml, undici, … require of a redistribution (`legalComments: 'none'` above
// strips their comments). Written beside the bundle and shipped with it.
const bundled = new Map();
for (const input of Object.keys(metafile.inputs)) {
  const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (!m || m[2].startsWith('@k8sm/')) continue;
  bundled.set(m[1], m[2]);
}
const notices = [...bundled]
  .map(([dir, name]) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    if (!licenceFile) throw new Error(`${name}@${manifest.version} is bundled but ships no licence file`);
    return {
      name,
      version: manifest.version,
      license: manifest.license,
      text: readFileSync(join(dir, licenceFile), 'utf8').trim(),
    };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
writeFileSync(
  'dist/THIRD-PARTY-NOTICES.md',
  `# Third-party notices\n\nThe k8sm-render bundle (dist/k8sm.js and dist/k8sm-chunks/) contains code of these packages.\n\n${notices
    .map((n) => `## ${n.name} ${n.version} (${n.license})\n\n\`\`\`\n${n.text}\n\`\`\`\n`)
    .join('\n')}`,
);
// what esbuild put in the bundle, for the test that every bundled package has its notice
writeFileSync('dist/bundle-inputs.json', `${JSON.stringify(Object.keys(metafile.inputs).sort(), null, 1)}\n`);

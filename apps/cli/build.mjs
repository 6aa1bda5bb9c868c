// Bundle the CLI into one file: `npx k8sm-render` then installs a single package with no
// dependencies, and start-up loads one module instead of a few hundred.
import { rmSync } from 'node:fs';
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

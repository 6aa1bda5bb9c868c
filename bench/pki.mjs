// pnpm bench: time per certificate of `k8sm-render pki` on the 2,009-host spec of bench/render.mjs
// (a Kubernetes PKI dir: CAs, control-plane certificates and a kubelet certificate per node), run
// once into an empty PKI dir; against `openssl` issuing one certificate at a time in a shell loop
// (a new ECDSA P-256 key, a CSR, signed by a P-256 CA with SHA-256: the key type k8sm issues,
// packages/pki/src/x509.ts). Nothing is asserted. --openssl-certs sets the loop's length (default
// 20); K8SM_BENCH_ROUNDS runs k8sm-render pki more than once (default 1), each into a new dir.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { largeSpec } from './large-spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'apps/cli/bin/k8sm-render.js');
const rusageHook = join(root, 'bench/rusage.mjs');
const { values: flags } = parseArgs({ options: { 'openssl-certs': { type: 'string', default: '20' } } });
const OPENSSL_CERTS = Number(flags['openssl-certs']);
const PKI_ROUNDS = Number(process.env.K8SM_BENCH_ROUNDS ?? 1);
const COLD_RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(cmd, args, env = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** Files below dir by extension: { crt: n, key: n, … }, and the certificates' relative paths. */
function census(dir) {
  const counts = {};
  const certs = [];
  const walk = (rel) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = join(rel, e.name);
      if (e.isDirectory()) walk(path);
      else {
        const ext = e.name.includes('.') ? e.name.slice(e.name.lastIndexOf('.') + 1) : '(none)';
        counts[ext] = (counts[ext] ?? 0) + 1;
        if (ext === 'crt') certs.push(path);
      }
    }
  };
  walk('');
  return { counts, certs };
}

const work = mkdtempSync(join(tmpdir(), 'k8sm-bench-pki-'));
try {
  const result = { date: new Date().toISOString(), node: process.version };
  result.loadAverageAtStart = readFileSync('/proc/loadavg', 'utf8').trim();

  // k8sm-render pki: the spec's kubernetes.pkiDir is `pki`, relative to the spec file
  const walls = [];
  const rss = [];
  let files;
  for (let i = 0; i < PKI_ROUNDS; i++) {
    const dir = join(work, `k8sm-${i}`);
    mkdirSync(dir);
    const specFile = join(dir, 'large.json');
    writeFileSync(specFile, JSON.stringify(largeSpec(), null, 2));
    const rusage = join(work, `rusage-${i}.json`);
    walls.push(
      timed(process.execPath, ['--import', rusageHook, bin, 'pki', specFile], { K8SM_BENCH_RUSAGE: rusage })
        .ms,
    );
    rss.push(JSON.parse(readFileSync(rusage, 'utf8')).maxRSS / 1024);
    files = census(join(dir, 'pki'));
  }
  // a process's start alone, to see what of the wall is per certificate
  const start = [];
  for (let i = 0; i < COLD_RUNS; i++) start.push(timed(process.execPath, [bin, '--version']).ms);
  const certificates = files.counts.crt ?? 0;
  const wall = median(walls);
  const startMs = median(start);
  result.k8sm = {
    command: 'k8sm-render pki large.json (empty PKI dir)',
    rounds: PKI_ROUNDS,
    wallMsMedian: Math.round(wall),
    wallMsAll: walls.map(Math.round),
    peakRssMbMedian: Math.round(median(rss)),
    filesByExtension: files.counts,
    certificates,
    authorities: files.certs.filter((p) => /(^|\/)[^/]*ca\.crt$/.test(p)),
    msPerCertificate: Number((wall / certificates).toFixed(2)),
    startMs: Math.round(startMs), // k8sm-render --version, median of 5
    msPerCertificateLessStart: Number(((wall - startMs) / certificates).toFixed(2)),
  };

  // openssl, one certificate at a time: key + CSR, then signed by the CA
  const openssl = spawnSync('sh', ['-c', 'command -v openssl']);
  if (openssl.status !== 0) result.openssl = 'openssl not on PATH';
  else {
    const dir = join(work, 'openssl');
    mkdirSync(dir);
    const ec = '-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes';
    timed('sh', [
      '-c',
      `cd ${dir} && openssl req -x509 ${ec} -sha256 -keyout ca.key -out ca.crt -subj /CN=bench-ca -days 3650 2>/dev/null`,
    ]);
    writeFileSync(
      join(dir, 'leaf.ext'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth,serverAuth\nsubjectAltName=DNS:node,IP:172.18.0.1\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n',
    );
    const script = `cd ${dir} && i=0; while [ $i -lt ${OPENSSL_CERTS} ]; do
  openssl req -new ${ec} -keyout node$i.key -out node$i.csr -subj "/CN=system:node:node$i/O=system:nodes" 2>/dev/null &&
  openssl x509 -req -in node$i.csr -CA ca.crt -CAkey ca.key -set_serial 0x$(openssl rand -hex 16) -days 365 -sha256 -extfile leaf.ext -out node$i.crt 2>/dev/null || exit 1
  i=$((i + 1))
done`;
    const loop = timed('sh', ['-c', script]).ms;
    const issued = readdirSync(dir).filter((f) => /^node\d+\.crt$/.test(f)).length;
    const check = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), join(dir, 'node0.crt')], {
      encoding: 'utf8',
    });
    const version = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim();
    result.openssl = {
      version,
      command:
        'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes …; openssl x509 -req -CA ca.crt -CAkey ca.key -sha256 … (+ openssl rand for the serial), in a sh loop',
      certificates: issued,
      verified: check.status === 0,
      loopMs: Math.round(loop),
      msPerCertificate: Number((loop / issued).toFixed(2)),
    };
    result.opensslOverK8smPerCertificate = Number(
      (result.openssl.msPerCertificate / result.k8sm.msPerCertificate).toFixed(1),
    );
  }
  result.loadAverageAtEnd = readFileSync('/proc/loadavg', 'utf8').trim();
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/pki.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}

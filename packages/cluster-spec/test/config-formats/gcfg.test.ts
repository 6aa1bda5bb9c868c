import { gcfgValue } from '@k8sm/spec';
import test from 'ava';
import { CONTROL, PRINTABLE, refusedOrReadBack } from './hostile.js';

const CLOUD_CONFIG = '/etc/kubernetes/mesos-cloud.cfg';

/**
 * The value of the one variable of a gcfg file, read as gcfg reads it (no Go toolchain here, so a
 * line-by-line port of github.com/go-gcfg/gcfg): scanner/scanner.go scanValString() takes the
 * text after `=` up to a newline, `;` or `#` outside quotes, trims trailing unquoted whitespace,
 * refuses an unquoted `\` not before a newline and an unterminated quote; read.go unquote() then
 * toggles quoting at `"` and knows `\\`, `\"`, `\n`, `\t`. undefined where gcfg reports an error
 * or the file holds another variable.
 */
function gcfgRead(text: string): string | undefined {
  const lines = text.split('\n').filter((line) => !/^\s*([;#].*)?$/.test(line));
  if (lines.length !== 2 || lines[0] !== '[mesos-cloud]') return undefined;
  const m = /^\s*mesos-master\s*=[ \t]*(.*)$/s.exec(lines[1] ?? '');
  if (!m) return undefined;
  const src = m[1] ?? '';
  let lit = '';
  let end = 0;
  let inQuote = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (!inQuote && (ch === ';' || ch === '#')) break;
    if (inQuote && ch === '\\') {
      if (!'\\"nt'.includes(src[i + 1] ?? '')) return undefined;
      lit += ch + src[i + 1];
      i++;
      end = lit.length;
      continue;
    }
    if (!inQuote && ch === '\\') return undefined;
    if (ch === '"') inQuote = !inQuote;
    lit += ch;
    if (inQuote || ![' ', '\t', '\r'].includes(ch)) end = lit.length;
  }
  if (inQuote) return undefined;
  const escapes: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', t: '\t' };
  let out = '';
  let q = false;
  for (let i = 0; i < end; i++) {
    const c = lit[i] as string;
    if (c === '\\') out += escapes[lit[++i] as string];
    else if (c === '"') q = !q;
    else out += c;
  }
  return out;
}

test('gcfg reads back exactly the one variable with exactly the value, or the writer refuses it', (t) => {
  refusedOrReadBack(
    t,
    CLOUD_CONFIG,
    [
      ...CONTROL,
      ...PRINTABLE,
      'zk://a:2181/mesos\n[mesos-cloud]\n    http-client-timeout = 1s',
      ' lead',
      'trail ',
    ],
    (value) =>
      `# header\n[mesos-cloud]\n    mesos-master        = ${gcfgValue(CLOUD_CONFIG, 'mesos-master', value)}\n`,
    (files) => files.map(gcfgRead),
    [...PRINTABLE, ' lead', 'trail '],
  );
});

test('a ZooKeeper URL is written as it is', (t) => {
  const url = 'zk://10.0.0.1:2181,10.0.0.2:2181/mesos';
  t.is(gcfgValue(CLOUD_CONFIG, 'mesos-master', url), url);
  t.is(gcfgValue(CLOUD_CONFIG, 'mesos-master', 'a;b'), '"a;b"');
});

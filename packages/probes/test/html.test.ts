import { spawnSync } from 'node:child_process';
import test from 'ava';
import {
  ensembleVerdict,
  fail,
  formatHtml,
  type MemberResult,
  type ProbeReport,
  worst,
} from '../src/index.js';

// The page is read back by a real HTML parser (Python's html.parser, from Debian's python3, which
// ansible-core needs anyway), so the assertions are on what a browser would see, not on our string.
const PARSER = `
import html.parser, json, sys
VOID = {'meta', 'br', 'link', 'img', 'input', 'hr', 'wbr', 'source'}
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.elements, self.texts = [], [], []
    def handle_starttag(self, tag, attrs):
        self.elements.append({'tag': tag, 'class': dict(attrs).get('class') or '', 'attrs': dict(attrs)})
        if tag not in VOID:
            self.stack.append((tag, len(self.elements) - 1))
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag: break
    def handle_data(self, data):
        self.texts.append({'text': data, 'in': [i for _, i in self.stack]})
p = P(); p.feed(sys.stdin.read()); p.close()
print(json.dumps({'elements': p.elements, 'texts': p.texts}))
`;

interface Parsed {
  elements: { tag: string; class: string; attrs: Record<string, string | null> }[];
  texts: { text: string; in: number[] }[];
}

function parse(page: string): Parsed {
  const r = spawnSync('/usr/bin/python3', ['-c', PARSER], { input: page, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 html.parser: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as Parsed;
}

/** The text content of every `tag` element whose class matches `cls`, in document order. */
function contents(parsed: Parsed, tag: string, cls: RegExp = /.*/): string[] {
  return parsed.elements.flatMap((e, i) =>
    e.tag === tag && cls.test(e.class)
      ? [
          parsed.texts
            .filter((t) => t.in.includes(i))
            .map((t) => t.text)
            .join(''),
        ]
      : [],
  );
}

const up = (member: string, leader: boolean, latencyMs = 1.25): MemberResult => ({
  member,
  leader,
  result: { ok: true, latencyMs },
});
const down = (member: string, message: string): MemberResult => ({
  member,
  leader: false,
  result: fail('refused', message),
});

function reportOf(...ensembles: Parameters<typeof ensembleVerdict>[]): ProbeReport {
  const verdicts = ensembles.map((args) => ({
    ...ensembleVerdict(...args),
    details: args[1].map(() => ({})),
  }));
  return { status: worst(verdicts.map((v) => v.status)), ensembles: verdicts };
}

const HOSTILE = `<script>alert("x")</script>&amp;"'><img src=x onerror=alert(1)>`;
const GENERATED = new Date('2030-01-01T00:00:00.000Z');
const STATUS_BADGE = /^badge (OK|WARNING|CRITICAL|UNKNOWN)$/;

test('hostile member names, messages, summaries and names are text in the parsed page, never markup', (t) => {
  const base = reportOf([
    'zookeeper',
    [up(`${HOSTILE}:2181`, true), up('10.0.0.2:2181', false), down(`b"&${HOSTILE}`, `refused: ${HOSTILE}`)],
  ]);
  const e = base.ensembles[0];
  if (!e) return t.fail();
  const report: ProbeReport = {
    ...base,
    ensembles: [{ ...e, summary: `summary ${HOSTILE}`, name: `name ${HOSTILE}`, kind: `kind ${HOSTILE}` }],
  };
  const parsed = parse(formatHtml(report, GENERATED));
  // no element or attribute came from the report: the only tags are the page's own
  const allowed = new Set(
    'html head meta title style body header h1 h2 p span time main section dl div dt dd ul li table thead tbody tr th td'.split(
      ' ',
    ),
  );
  t.deepEqual(
    parsed.elements.map((x) => x.tag).filter((tag) => !allowed.has(tag)),
    [],
  );
  t.false(parsed.elements.some((x) => Object.keys(x.attrs).some((a) => a.startsWith('on') || a === 'src')));
  // each hostile value reads back exactly as given
  t.deepEqual(contents(parsed, 'td', /^member$/), [`${HOSTILE}:2181`, '10.0.0.2:2181', `b"&${HOSTILE}`]);
  t.deepEqual(contents(parsed, 'p', /^summary$/), [`summary ${HOSTILE}`]);
  t.deepEqual(contents(parsed, 'span', /^name$/), [`name ${HOSTILE}`]);
  t.deepEqual(contents(parsed, 'span', /^kind$/), [`kind ${HOSTILE}`]);
  t.deepEqual(contents(parsed, 'td', /^why$/), ['', '', `refused: refused: ${HOSTILE}`]);
  t.is(contents(parsed, 'dd')[1], `${HOSTILE}:2181`, 'the leader, in the leaders fact');
});

test('every ensemble and member appears with its status, up/down, role, latency, quorum and tolerance', (t) => {
  const report = reportOf(
    [
      'zookeeper',
      [
        up('10.0.0.1:2181', true),
        up('10.0.0.2:2181', false, 3.04),
        down('10.0.0.3:2181', '10.0.0.3:2181 (srvr): connection refused'),
      ],
    ],
    [
      'etcd',
      [
        up('http://10.0.0.1:2379', true),
        up('http://10.0.0.2:2379', false),
        up('http://10.0.0.3:2379', false),
      ],
    ],
    ['apiserver', [down('https://10.0.0.1:6443', 'https://10.0.0.1:6443: connection refused')], 'none'],
  );
  const parsed = parse(formatHtml(report, GENERATED));
  t.deepEqual(contents(parsed, 'title'), ['k8sm-probe: CRITICAL']);
  // the overall status in the header, then each ensemble's
  t.deepEqual(contents(parsed, 'span', STATUS_BADGE), ['CRITICAL', 'WARNING', 'OK', 'CRITICAL']);
  t.deepEqual(
    parsed.elements.filter((x) => x.tag === 'section').map((x) => x.class),
    ['WARNING', 'OK', 'CRITICAL'],
  );
  t.deepEqual(contents(parsed, 'span', /^kind$/), ['zookeeper', 'etcd', 'apiserver']);
  t.deepEqual(contents(parsed, 'td', /^member$/), [
    '10.0.0.1:2181',
    '10.0.0.2:2181',
    '10.0.0.3:2181',
    'http://10.0.0.1:2379',
    'http://10.0.0.2:2379',
    'http://10.0.0.3:2379',
    'https://10.0.0.1:6443',
  ]);
  t.deepEqual(contents(parsed, 'td', /^state$/), ['UP', 'UP', 'DOWN', 'UP', 'UP', 'UP', 'DOWN']);
  t.deepEqual(contents(parsed, 'td', /^latency$/), [
    '1.3 ms',
    '3 ms',
    '—',
    '1.3 ms',
    '1.3 ms',
    '1.3 ms',
    '—',
  ]);
  t.deepEqual(contents(parsed, 'td', /^role$/), ['leader', 'member', '—', 'leader', 'member', 'member', '—']);
  t.deepEqual(contents(parsed, 'td', /^why$/).slice(2, 4), [
    'refused: 10.0.0.3:2181 (srvr): connection refused',
    '',
  ]);
  t.deepEqual(contents(parsed, 'span', /^reason$/), ['refused', 'refused']);
  // per ensemble: up, leaders, quorum (majority), tolerance
  t.deepEqual(contents(parsed, 'dt').slice(0, 4), ['up', 'leaders', 'quorum (majority)', 'tolerates']);
  t.deepEqual(contents(parsed, 'dd'), [
    ...['2 of 3', '10.0.0.1:2181', '2 of 3', '0 more failures'],
    ...['3 of 3', 'http://10.0.0.1:2379', '2 of 3', '1 more failure'],
    ...['0 of 1', 'no election', 'none: any member serves', 'none: 1 member short'],
  ]);
  t.deepEqual(contents(parsed, 'time'), ['2030-01-01T00:00:00.000Z']);
  t.regex(contents(parsed, 'p', /^meta$/)[0] ?? '', /^generated at 2030-01-01T00:00:00\.000Z; 3 ensembles$/);
});

test("a member's certificate shows its expiry and the days left at the time the page was made", (t) => {
  const cert = (member: string, notAfter: string): MemberResult => ({
    ...up(member, false),
    certificate: { notAfter, subject: 'kube-apiserver', issuer: 'k8sm cluster CA' },
  });
  const report = reportOf([
    'apiserver',
    [
      cert('https://10.0.0.1:6443', '2030-01-11T12:00:00.000Z'),
      cert('https://10.0.0.2:6443', '2029-12-29T00:00:00.000Z'),
      cert('https://10.0.0.3:6443', '2031-01-01T00:00:00.000Z'),
      up('https://10.0.0.4:6443', false),
    ],
    'none',
  ]);
  const parsed = parse(formatHtml(report, GENERATED));
  t.deepEqual(contents(parsed, 'span', /^days/), ['10 days left', 'expired 3 days ago', '365 days left']);
  t.deepEqual(
    parsed.elements.filter((x) => /^days/.test(x.class)).map((x) => x.class),
    ['days soon', 'days expired', 'days'],
  );
  t.deepEqual(contents(parsed, 'time').slice(1), [
    '2030-01-11T12:00:00.000Z',
    '2029-12-29T00:00:00.000Z',
    '2031-01-01T00:00:00.000Z',
  ]);
  t.is(contents(parsed, 'td', /^why$/)[3], '', 'no certificate, no expiry');
  t.deepEqual(
    new Set(contents(parsed, 'span', /^meta$/)),
    new Set(['(subject kube-apiserver, issuer k8sm cluster CA)']),
  );
});

test('the page loads nothing: no script, no link, no URL attribute, and a policy that forbids fetching', (t) => {
  const report = reportOf(['etcd', [up('http://10.0.0.1:2379', true)]]);
  const parsed = parse(formatHtml(report, GENERATED));
  t.false(parsed.elements.some((x) => ['script', 'link', 'img', 'iframe', 'object'].includes(x.tag)));
  t.false(parsed.elements.some((x) => 'href' in x.attrs || 'src' in x.attrs));
  const csp = parsed.elements.find((x) => x.attrs['http-equiv'] === 'Content-Security-Policy');
  t.is(csp?.attrs.content, "default-src 'none'; style-src 'unsafe-inline'");
  t.is(parsed.elements.find((x) => x.tag === 'meta')?.attrs.charset, 'utf-8');
  t.notRegex(contents(parsed, 'style').join(''), /url\(|@import/);
});

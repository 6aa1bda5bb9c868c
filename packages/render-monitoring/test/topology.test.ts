import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClusterPlan, FileArtifact } from '@k8sm/spec';
import { exampleNames, examplePlan, exampleText, hosts, planOf, threeMasters } from '@k8sm/testkit';
import test from 'ava';
import { parse } from 'yaml';
import { renderTopology } from '../src/index.js';

// The real consumers are the oracles: Graphviz's `dot` and Mermaid's own bundle in headless
// Chromium. Each diagram is checked by what they drew, not by the text k8sm wrote.

interface Drawn {
  /** node id → its label lines */
  readonly nodes: ReadonlyMap<string, readonly string[]>;
  readonly edges: readonly { readonly from: string; readonly to: string; readonly label: string }[];
}

const fileAt = (files: readonly FileArtifact[], path: string): string => {
  const f = files.find((a) => a.path === path);
  if (!f) throw new Error(`no ${path} among ${files.map((a) => a.path).join(', ')}`);
  return f.content;
};

const decodeXml = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(
      /&(quot|apos|lt|gt|amp);/g,
      (_, n: string) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' })[n] ?? '',
    );

// ---- Graphviz ------------------------------------------------------------------------------

/** `dot -Tsvg`, which must take the file without a word on stderr; then what it drew. */
function graphviz(dot: string): Drawn {
  const run = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0 || run.stderr !== '')
    throw new Error(`dot refused the file (status ${run.status}): ${run.stderr}\n${dot}`);
  const nodes = new Map<string, string[]>();
  const edges: { from: string; to: string; label: string }[] = [];
  for (const [, kind, body = ''] of run.stdout.matchAll(/<g id="\w+" class="(node|edge)">([\s\S]*?)<\/g>/g)) {
    const title = decodeXml(/<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? '');
    const texts = [...body.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => decodeXml(m[1] ?? ''));
    if (kind === 'node') nodes.set(title, texts);
    else {
      const [from = '', to = ''] = title.split('->');
      edges.push({ from, to, label: texts.join('\n') });
    }
  }
  return { nodes, edges };
}

// ---- Mermaid -------------------------------------------------------------------------------

const mermaidBundle = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

/** The one ```mermaid block of the Markdown file. */
function mermaidBlock(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)];
  if (blocks.length !== 1) throw new Error(`expected one mermaid block, found ${blocks.length}`);
  return blocks[0]?.[1] ?? '';
}

type MermaidResult =
  | { readonly ok: false; readonly error: string }
  | {
      readonly ok: true;
      readonly svg: boolean;
      readonly nodes: readonly { readonly id: string; readonly lines: readonly string[] }[];
      readonly links: number;
      readonly edgeLabels: readonly string[];
    };

/**
 * strict: Mermaid's default, HTML in labels sanitised; loose: what a viewer may configure, HTML
 * in labels rendered. The labels must read literally under both.
 */
const LEVELS = ['strict', 'loose'] as const;
type Level = (typeof LEVELS)[number];

// The page renders each diagram with mermaid.render and writes what it drew (or the parse error)
// into the DOM as base64 JSON, which `chromium --dump-dom` prints once the virtual time is spent.
const PAGE_SCRIPT = `
(async () => {
  const diagrams = JSON.parse(document.getElementById('diagrams').textContent);
  const results = [];
  for (const [i, { text, level }] of diagrams.entries()) {
    try {
      mermaid.initialize({ startOnLoad: false, securityLevel: level });
      await mermaid.parse(text);
      const { svg } = await mermaid.render('diagram' + i, text);
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      document.body.append(holder);
      const linesOf = (el) => {
        const copy = el.cloneNode(true);
        for (const br of copy.querySelectorAll('br')) br.replaceWith('\\n');
        return copy.textContent.split('\\n');
      };
      results.push({
        ok: true,
        svg: holder.querySelector('svg') !== null,
        nodes: [...holder.querySelectorAll('g.node')].map((n) => ({
          id: (/flowchart-(n\\d+)-/.exec(n.id) || [])[1] || n.id,
          lines: linesOf(n.querySelector('.nodeLabel') || n),
        })),
        links: holder.querySelectorAll('path.flowchart-link').length,
        edgeLabels: [...holder.querySelectorAll('g.edgeLabel')].map((l) => l.textContent).filter((t) => t !== ''),
      });
    } catch (e) {
      results.push({ ok: false, error: String((e && e.message) || e) });
    }
  }
  const out = document.createElement('pre');
  out.id = 'k8sm-result';
  out.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(results))));
  document.body.append(out);
})();
`;

/** Every diagram rendered by Mermaid in one headless Chromium run (one start-up for all). */
function mermaidRender(diagrams: readonly { text: string; level: Level }[]): MermaidResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-mermaid-'));
  try {
    const data = JSON.stringify(diagrams).replace(/</g, '\\u003c');
    const page = join(dir, 'page.html');
    writeFileSync(
      page,
      `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script src="${pathToFileURL(mermaidBundle).href}"></script>
<script type="application/json" id="diagrams">${data}</script>
<script>${PAGE_SCRIPT}</script></body></html>`,
    );
    const run = spawnSync(
      'chromium',
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--virtual-time-budget=30000',
        '--dump-dom',
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
    );
    const encoded = /<pre id="k8sm-result">([A-Za-z0-9+/=]*)<\/pre>/.exec(run.stdout ?? '')?.[1];
    if (run.status !== 0 || encoded === undefined)
      throw new Error(`chromium gave no result (status ${run.status}, ${run.error ?? ''}): ${run.stderr}`);
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as MermaidResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the diagrams under test ---------------------------------------------------------------

/** Every free-text trick at once: quotes, backslashes, brackets, links, comments, directives, markup. */
const HOSTILE = 'a "b" \\c ]) }} --> n1 %% #quot; <b>x</b> &amp; \\N `md` %%{init: {"theme":"dark"}}%%';

/** A spec whose free text the schema lets through: the Mesos cluster name (one line, any character). */
const hostileSpec = (cluster: string) =>
  planOf(threeMasters({ mesos: { version: '1.11.0', cluster } }), 'hostile.json');

/**
 * A plan whose host names and cluster name are what the schema would refuse (newlines, quotes,
 * Mermaid keywords): the renderer must not rely on the schema. Every exact host-name value is
 * swapped, so members, scheduler hosts and hosts stay consistent.
 */
const EVIL_NAMES = [
  `x"y\\z\nsecond ] } --> %% <i>&</i>`,
  'end',
  '%%{init: {"theme":"forest"}}%%',
  'n2["injected"] --> n1',
  '\\N\\G <script>alert(1)</script>',
  'subgraph "s"',
  'click n1 callback',
];
function hostilePlan(plan: ClusterPlan): ClusterPlan {
  let json = JSON.stringify(plan);
  plan.hosts.forEach((h, i) => {
    json = json.replaceAll(
      JSON.stringify(h.name),
      JSON.stringify(`${EVIL_NAMES[i % EVIL_NAMES.length]}${i}`),
    );
  });
  return { ...(JSON.parse(json) as ClusterPlan), name: `evil\n%%{init: {"theme":"dark"}}%%\n// */ "name"` };
}

/** The 1.6 standalone example with every port moved off its default, so no default can pass for the plan's. */
function k8sCustomPorts() {
  const spec = parse(exampleText('k8s-1.6-standalone-ha.yaml'));
  spec.etcd = { ...spec.etcd, clientPort: 12379, peerPort: 12380 };
  spec.kubernetes.apiserver = { securePort: 16443 };
  spec.haproxy.frontendPort = 18443;
  return spec;
}

const examples = exampleNames().map((name) => ({ name, plan: examplePlan(name) }));
const benignK8s = examplePlan('k8s-on-mesos-ha.yaml');
const cases: { name: string; plan: ClusterPlan }[] = [
  ...examples,
  { name: 'hostile spec', plan: hostileSpec(HOSTILE) },
  { name: 'benign spec', plan: hostileSpec('plain') },
  { name: 'hostile plan', plan: hostilePlan(benignK8s) },
  {
    name: 'custom ports',
    plan: planOf(threeMasters({ zookeeper: { version: '3.4.6', clientPort: 12181 } })),
  },
  { name: 'k8s custom ports', plan: planOf(k8sCustomPorts()) },
  {
    name: 'five-member ensemble',
    plan: planOf({ name: 'five', hosts: hosts(5, ['zookeeper']), zookeeper: { version: '3.8.4' } }),
  },
  {
    name: 'even ensemble',
    plan: planOf({
      name: 'four',
      hosts: hosts(4, ['zookeeper']),
      zookeeper: { version: '3.8.4' },
      waive: { 'even-ensemble': 'test' },
    }),
  },
];
const rendered = new Map(cases.map((c) => [c.name, { plan: c.plan, files: renderTopology(c.plan) }]));
const get = (name: string) => {
  const r = rendered.get(name);
  if (!r) throw new Error(`no case ${name}`);
  return r;
};

let mermaidResults: Map<string, MermaidResult>;
test.before(() => {
  const runs = [...rendered.keys()].flatMap((name) =>
    LEVELS.map((level) => ({
      name,
      level,
      text: mermaidBlock(fileAt(get(name).files, '/topology/cluster.md')),
    })),
  );
  const drawn = mermaidRender(runs);
  mermaidResults = new Map(
    runs.map((r, i) => [`${r.name}@${r.level}`, drawn[i] ?? { ok: false, error: 'no result' }]),
  );
});

const drawnByMermaid = (name: string, level: Level = 'strict') => {
  const r = mermaidResults.get(`${name}@${level}`);
  if (!r?.ok) throw new Error(`Mermaid refused ${name}: ${r && !r.ok ? r.error : 'not rendered'}`);
  return r;
};
const dotOf = (name: string) => graphviz(fileAt(get(name).files, '/topology/cluster.dot'));
/** The node whose label starts with these lines. */
const nodeLabelled = (drawn: Drawn, ...first: string[]) =>
  [...drawn.nodes].find(([, lines]) => first.every((l, i) => lines[i] === l))?.[0];

// ---- the tests -----------------------------------------------------------------------------

test('two cluster files: Graphviz DOT and Markdown with one Mermaid block', (t) => {
  const { files } = get('mesosphere-3-masters.json');
  t.deepEqual(
    files.map((f) => [f.path, f.host, f.mode, f.component, f.kind]),
    [
      ['/topology/cluster.dot', null, 0o644, 'k8sm', 'file'],
      ['/topology/cluster.md', null, 0o644, 'k8sm', 'file'],
    ],
  );
  const dot = fileAt(files, '/topology/cluster.dot');
  const md = fileAt(files, '/topology/cluster.md');
  t.is(dot.split('\n')[0], '// generated by k8sm from mesosphere-demo; edit the spec, not this file');
  t.regex(
    md,
    /^# Topology of mesosphere-demo\n\n.+\n\n```mermaid\n%% generated by k8sm from mesosphere-demo/,
  );
  t.deepEqual(renderTopology(get('mesosphere-3-masters.json').plan), files, 'same plan, same bytes');
});

for (const { name, plan } of examples) {
  test(`${name}: dot and Mermaid draw every host, with its address`, (t) => {
    const dot = dotOf(name);
    t.true(drawnByMermaid(name, 'loose').svg);
    const mermaid = drawnByMermaid(name);
    t.true(mermaid.svg);
    for (const h of plan.hosts) {
      t.truthy(nodeLabelled(dot, h.name, h.address), `dot: ${h.name}`);
      t.true(
        mermaid.nodes.some((n) => n.lines[0] === h.name && n.lines[1] === h.address),
        `Mermaid: ${h.name}`,
      );
    }
    t.is(mermaid.nodes.length, dot.nodes.size, 'both formats draw the same nodes');
    t.is(mermaid.edgeLabels.length, dot.edges.filter((e) => e.label !== '').length, 'and the same labels');
  });
}

test('the ZooKeeper client port on the edges is the plan’s, from Mesos masters, agents and Marathon', (t) => {
  const dot = dotOf('custom ports');
  const zk = nodeLabelled(dot, 'ZooKeeper ensemble');
  const clients = dot.edges.filter((e) => e.to === zk && e.label === 'ZooKeeper 12181');
  t.deepEqual(clients.map((e) => dot.nodes.get(e.from)?.[0]).sort(), [
    'Marathon',
    'Mesos agents',
    'Mesos masters',
  ]);
  t.true(drawnByMermaid('custom ports').edgeLabels.filter((l) => l === 'ZooKeeper 12181').length === 3);
});

test('ensembles carry their quorum; members their ids; peers their ports', (t) => {
  const dot = dotOf('mesosphere-3-masters.json');
  const zk = nodeLabelled(dot, 'ZooKeeper ensemble', '3 members, quorum 2, tolerates 1 failure');
  t.truthy(zk);
  t.truthy(nodeLabelled(dot, 'Mesos masters', '3 members, quorum 2, tolerates 1 failure'));
  t.truthy(nodeLabelled(dot, 'Marathon', '3 instances: one leads, the others stand by'));
  t.deepEqual(
    dot.edges.filter((e) => e.from === zk && e.to !== zk).map((e) => [dot.nodes.get(e.to)?.[0], e.label]),
    [
      ['mesos-master1', 'myid 1'],
      ['mesos-master2', 'myid 2'],
      ['mesos-master3', 'myid 3'],
    ],
  );
  t.deepEqual(
    dot.edges.filter((e) => e.from === zk && e.to === zk).map((e) => e.label),
    ['peer 2888, election 3888'],
  );
  t.truthy(
    nodeLabelled(
      dotOf('five-member ensemble'),
      'ZooKeeper ensemble',
      '5 members, quorum 3, tolerates 2 failures',
    ),
  );
  t.truthy(
    nodeLabelled(
      dotOf('even ensemble'),
      'ZooKeeper ensemble',
      '4 members, quorum 3, tolerates 1 failure',
      'an even size tolerates no more failures than one member fewer',
    ),
  );
});

test('Kubernetes: apiservers to etcd, HAProxy to the apiservers, nodes to the HAProxy host, ports from the plan', (t) => {
  const dot = dotOf('k8s custom ports');
  const label = (from: string | undefined, to: string | undefined) =>
    dot.edges.filter((e) => e.from === from && e.to === to).map((e) => e.label);
  const masters = nodeLabelled(dot, 'Kubernetes masters');
  const etcd = nodeLabelled(dot, 'etcd cluster');
  t.deepEqual(label(masters, etcd), ['etcd https 12379']);
  t.deepEqual(label(etcd, etcd), ['peer http 12380'], 'the example sets etcd.tls.peer false');
  t.deepEqual(label(nodeLabelled(dot, 'HAProxy'), masters), ['apiserver https 16443']);
  t.deepEqual(label(nodeLabelled(dot, 'Kubernetes nodes'), nodeLabelled(dot, 'kube-apiserver')), [
    'apiserver https 18443',
  ]);
  t.deepEqual(
    label(nodeLabelled(dot, 'HAProxy'), nodeLabelled(dot, 'kube-apiserver')),
    ['frontend 18443'],
    'the HAProxy host is a member of the HAProxy group',
  );
});

test('hostile spec text is drawn literally by both, and injects no node or edge', (t) => {
  const evil = dotOf('hostile spec');
  const plain = dotOf('benign spec');
  t.is(evil.nodes.get(nodeLabelled(evil, 'Mesos masters') ?? '')?.[1], `cluster ${HOSTILE}`);
  t.is(evil.nodes.size, plain.nodes.size);
  t.deepEqual(
    evil.edges.map((e) => [e.from, e.to, e.label]),
    plain.edges.map((e) => [e.from, e.to, e.label]),
  );
  for (const level of LEVELS) {
    const m = drawnByMermaid('hostile spec', level);
    const p = drawnByMermaid('benign spec', level);
    t.true(
      m.nodes.some((n) => n.lines[0] === 'Mesos masters' && n.lines[1] === `cluster ${HOSTILE}`),
      `Mermaid ${level}`,
    );
    t.deepEqual(
      m.nodes.map((n) => n.id),
      p.nodes.map((n) => n.id),
    );
    t.is(m.links, p.links);
    t.deepEqual(m.edgeLabels, p.edgeLabels);
  }
});

test('hostile host and cluster names (newlines, quotes, keywords) are drawn literally by both, and inject nothing', (t) => {
  const evil = get('hostile plan').plan;
  const dot = dotOf('hostile plan');
  const plain = graphviz(fileAt(renderTopology(benignK8s), '/topology/cluster.dot'));
  for (const h of evil.hosts) {
    const lines = h.name.split('\n');
    t.truthy(nodeLabelled(dot, ...lines, h.address), `dot: ${JSON.stringify(h.name)}`);
  }
  t.is(dot.nodes.size, plain.nodes.size);
  t.deepEqual(
    dot.edges.map((e) => [e.from, e.to]),
    plain.edges.map((e) => [e.from, e.to]),
  );
  for (const level of LEVELS) {
    const m = drawnByMermaid('hostile plan', level);
    const p = drawnByMermaid('k8s-on-mesos-ha.yaml', level);
    for (const h of evil.hosts) {
      const lines = h.name.split('\n');
      t.true(
        m.nodes.some((n) => lines.every((l, i) => n.lines[i] === l) && n.lines[lines.length] === h.address),
        `Mermaid ${level}: ${JSON.stringify(h.name)}`,
      );
    }
    t.deepEqual(
      m.nodes.map((n) => n.id),
      p.nodes.map((n) => n.id),
    );
    t.is(m.links, p.links);
    t.deepEqual(m.edgeLabels, p.edgeLabels);
  }
  const md = fileAt(get('hostile plan').files, '/topology/cluster.md');
  t.is(
    md.split('\n')[0],
    '# Topology of evil \\%\\%\\{init: \\{\\"theme\\":\\"dark\\"\\}\\}\\%\\% // \\*/ \\"name\\"',
  );
  t.notRegex(mermaidBlock(md), /%%\{/, 'no directive survives in a comment');
});

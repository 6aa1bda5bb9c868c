import type { Topology, TopologyNode } from './topology-graph.js';
import { labelLines } from './topology-text.js';

/**
 * A DOT quoted string: `\` and `"` escaped, each line break as `\n` (a centred line), `&` as
 * `&amp;`. With every `\` doubled no text can form one of DOT's label escapes (`\N`, `\G`, `\l`,
 * …), and with every `&` escaped none an HTML entity, which Graphviz decodes in any label.
 */
export function dotString(text: string): string {
  return `"${labelLines(text)
    .map((line) => line.replace(/[\\"]/g, (c) => `\\${c}`).replaceAll('&', '&amp;'))
    .join('\\n')}"`;
}

const SHAPES: Record<TopologyNode['kind'], string> = {
  host: 'shape=box',
  group: 'shape=box, style="rounded,filled", fillcolor="#e8eef8"',
  external: 'shape=box, style="rounded,dashed"',
};

/** The topology as a Graphviz digraph; `header` is one comment line. */
export function topologyDot(topology: Topology, header: string): string {
  const lines = [
    header,
    `digraph ${dotString(topology.title)} {`,
    `  graph [label=${dotString(topology.title)}, labelloc=t, rankdir=LR];`,
    '  edge [fontsize=10];',
    ...topology.nodes.map(
      (n) => `  ${dotString(n.id)} [${SHAPES[n.kind]}, label=${dotString(n.lines.join('\n'))}];`,
    ),
    ...topology.edges.map((e) => {
      const style = e.kind === 'member' ? 'style=dashed, arrowhead=none, ' : '';
      return `  ${dotString(e.from)} -> ${dotString(e.to)} [${style}label=${dotString(e.label)}];`;
    }),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

import type { Topology, TopologyNode } from './topology-graph.js';
import { commentText, labelLines } from './topology-text.js';

/** Characters that mean nothing to Mermaid inside a quoted label, nor to the HTML it renders. */
const PLAIN = /^[A-Za-z0-9 ,.:/_+=@()-]$/;

/**
 * A Mermaid quoted label (`"…"`): `"` as `#quot;` and every character outside PLAIN as its entity
 * code (`#35;` is `#`), so no text can close the label, start a link (`-->`), a comment (`%%`)
 * or markup (`<`, `&`) in the HTML label; each line break as `<br>`.
 */
export function mermaidLabel(text: string): string {
  const escaped = labelLines(text).map((line) =>
    [...line].map((c) => (c === '"' ? '#quot;' : PLAIN.test(c) ? c : `#${c.codePointAt(0)};`)).join(''),
  );
  return `"${escaped.join('<br>')}"`;
}

/** Text for a `%%` comment: Mermaid reads `%%{…}%%` as a directive anywhere, comments too. */
export const mermaidCommentText = (text: string): string => commentText(text).replace(/[%{}]/g, '_');

const SHAPES: Record<TopologyNode['kind'], (label: string) => string> = {
  host: (label) => `[${label}]`,
  group: (label) => `([${label}])`,
  external: (label) => `{{${label}}}`,
};

/** The topology as a Mermaid flowchart; `header` is one comment line. */
export function topologyMermaid(topology: Topology, header: string): string {
  const lines = [
    header,
    'flowchart LR',
    ...topology.nodes.map((n) => `  ${n.id}${SHAPES[n.kind](mermaidLabel(n.lines.join('\n')))}`),
    ...topology.edges.map((e) => {
      const link = e.kind === 'member' ? '-.-' : '-->';
      return e.label === ''
        ? `  ${e.from} ${link} ${e.to}`
        : `  ${e.from} ${link}|${mermaidLabel(e.label)}| ${e.to}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

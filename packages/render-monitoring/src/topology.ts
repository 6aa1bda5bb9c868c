import { type ClusterPlan, type FileArtifact, generatedHeader } from '@k8sm/spec';
import { topologyDot } from './topology-dot.js';
import { topologyOf } from './topology-graph.js';
import { mermaidCommentText, topologyMermaid } from './topology-mermaid.js';
import { commentText } from './topology-text.js';

export const TOPOLOGY_DOT = '/topology/cluster.dot';
export const TOPOLOGY_MARKDOWN = '/topology/cluster.md';

export const TOPOLOGY_LEGEND =
  'Rectangles are hosts (name, address, roles); rounded boxes are ensembles and groups, with their quorum; a dashed line joins a group to a member; an arrow goes from client to server, labelled with what it carries and the port.';

/** Markdown text: the punctuation that can start markup backslash-escaped (CommonMark), so no name becomes markup. */
const markdownText = (text: string) =>
  commentText(text).replace(/[\\`*_[\]<>!&|~#{}()"'$%^=+@;]/g, (c) => `\\${c}`);

const clusterFile = (path: string, content: string): FileArtifact => ({
  kind: 'file',
  host: null,
  path,
  mode: 0o644,
  content,
  component: 'k8sm',
});

/** The cluster as pictures: Graphviz DOT, and Markdown with a Mermaid flowchart code hosts render. */
export function renderTopology(plan: ClusterPlan): FileArtifact[] {
  const topology = topologyOf(plan);
  const mermaid = topologyMermaid(topology, generatedHeader(mermaidCommentText(plan.name), '%%'));
  const markdown = [
    `# Topology of ${markdownText(plan.name)}`,
    '',
    TOPOLOGY_LEGEND,
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
  ].join('\n');
  return [
    clusterFile(TOPOLOGY_DOT, topologyDot(topology, generatedHeader(commentText(plan.name), '//'))),
    clusterFile(TOPOLOGY_MARKDOWN, markdown),
  ];
}

export { type RenderClusterOptions, type RenderedCluster, renderCluster } from './cluster.js';
export { InvalidSpecError } from './errors.js';
export {
  filterKey,
  hostScript,
  isPartial,
  OUTPUT_FORMAT,
  OUTPUT_MARKER,
  type OutputFile,
  type OutputManifest,
  type OutputTree,
  outputMarker,
  outputPath,
  type RenderedOutput,
  type RenderFilter,
  renderOutput,
} from './output.js';
export { pkiFilesToRender } from './pki.js';
export { RENDERERS, type Renderer, type RenderInputs } from './renderers.js';

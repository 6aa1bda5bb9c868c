export { type RenderClusterOptions, type RenderedCluster, renderCluster } from './cluster.js';
export {
  describeSystemError,
  FileAccessError,
  InvalidSpecError,
  MissingPkiError,
  UnsafePkiError,
} from './errors.js';
export { pkiDirOf, pkiFilesToRender, readPkiForRender, readRenderInputs } from './inputs.js';
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
export { type PkiTree, readPkiFile, scanPkiTree } from './pki-dir.js';
export { RENDERERS, type Renderer, type RenderInputs } from './renderers.js';

import { type ClusterPlan, hasErrors, loadSpec, type SpecReport, specText } from '@k8sm/spec';
import { InvalidSpecError } from './errors.js';
import { type RenderedOutput, type RenderFilter, renderOutput } from './output.js';
import type { RenderInputs } from './renderers.js';

export interface RenderClusterOptions {
  /** the spec's name in messages and in manifest.json; relative PKI dirs are relative to it */
  readonly file?: string;
  /** the version manifest.json's generator names (`k8sm-render <version>`); without it the generator is this package */
  readonly version?: string;
  readonly filter?: RenderFilter;
  /**
   * What renderers read besides the spec (PKI files, haproxy's template and password). A function
   * is given the plan once the spec is valid, and `pkiFilesToRender(plan)` names the PKI files to
   * read (this package does no I/O: k8sm-render reads them from the spec's PKI dirs).
   */
  readonly inputs?:
    | RenderInputs
    | ((plan: ClusterPlan, report: SpecReport) => RenderInputs | Promise<RenderInputs>);
  /** warnings fail as errors do (k8sm-render --strict) */
  readonly strict?: boolean;
}

export interface RenderedCluster extends RenderedOutput {
  /** the spec's report: its plan, warnings and waivers */
  readonly report: SpecReport & { readonly plan: ClusterPlan };
}

/**
 * The whole job of `k8sm-render`, in memory: the spec (its text, JSON or YAML, or an object)
 * validated, planned and rendered into the output tree with manifest.json, nothing written.
 * Throws InvalidSpecError (every finding) when the spec does not render, SpecSyntaxError when it
 * does not parse; `writeOutput`-style writing stays with the caller.
 */
export async function renderCluster(
  spec: string | object,
  options: RenderClusterOptions = {},
): Promise<RenderedCluster> {
  const file = options.file ?? '<spec>';
  const report = loadSpec(spec, file);
  const strict = options.strict === true;
  if (hasErrors(report.findings) || (strict && report.findings.length > 0) || !report.plan)
    throw new InvalidSpecError(file, report, strict);
  const planned = { ...report, plan: report.plan };
  const inputs =
    typeof options.inputs === 'function' ? await options.inputs(planned.plan, planned) : options.inputs;
  const rendered = renderOutput(planned, specText(spec), file, options.version, options.filter ?? {}, inputs);
  return { ...rendered, report: planned };
}

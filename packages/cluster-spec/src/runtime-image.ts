import type { Runtime } from './fields.js';
import { optional } from './member-base.js';

/**
 * A component's runtime and the image it runs. With the docker runtime the plan always names the
 * image (the spec's, else the version's default from the component's facts.ts); with packages it
 * carries only the spec's own, which nothing runs.
 */
export type RuntimeImage =
  | { readonly runtime: 'docker'; readonly image: string }
  | { readonly runtime: Exclude<Runtime, 'docker'>; readonly image?: string };

/** A plan slice that runs in docker: its images are set. */
export type InDocker<P extends { readonly runtime: Runtime }> = Extract<P, { readonly runtime: 'docker' }>;

export function runtimeImage(
  runtime: Runtime,
  given: string | undefined,
  byVersion: () => string,
): RuntimeImage {
  return runtime === 'docker'
    ? { runtime, image: given ?? byVersion() }
    : { runtime, ...optional('image', given) };
}

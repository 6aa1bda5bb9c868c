import Mustache from 'mustache';

/**
 * The one Mustache render of k8sm. None of its formats is HTML (haproxy.cfg, systemd units, YAML):
 * `{{x}}` and `{{{x}}}` both write the value as it is — Mustache's HTML escaping would turn a
 * `/` of a user's `{{checkPath}}` into `&#x2F;`, which haproxy -c refuses. Every value of a view is
 * already made safe for its format by that format's writer (haproxyWord, the unit quoting, …).
 */
export function renderTemplate(template: string, view: object): string {
  return Mustache.render(template, view, {}, { escape: (value: unknown) => String(value) });
}

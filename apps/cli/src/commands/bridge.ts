import { K8smError } from '@k8sm/spec/errors';
import { groupsOf, httpUrl, secondsFlag, TIMEOUT_SECONDS, tlsFlags, WATCH_SECONDS } from '../args.js';
import type { BridgeRun } from '../bridge.js';
import { UsageError } from '../errors.js';
import { watch } from '../watch.js';
import { defineCommand } from './command.js';

export const command = defineCommand({
  name: 'bridge',
  program: 'k8sm-render',
  synopsis: 'bridge --marathon <url,…> -o <haproxy.cfg> [options]',
  summary: "HAProxy listeners for Marathon's apps (haproxy-marathon-bridge)",
  options: {
    marathon: { type: 'string', multiple: true },
    output: { type: 'string', short: 'o' },
    apply: { type: 'boolean' },
    reload: { type: 'string' },
    haproxy: { type: 'string' },
    watch: { type: 'string' },
    timeout: { type: 'string' },
    cacert: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    insecure: { type: 'boolean' },
    'marathon-user': { type: 'string' },
    'marathon-password-env': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  help: `  --marathon <url,…>     Marathon's URLs, tried in turn (repeat or comma-separate)
  -o, --output <file>    the HAProxy config to write (replaced atomically, only when it changes)
  --apply                validate with haproxy -c, drop the apps HAProxy refuses, reload on change
  --reload <command>     how --apply reloads HAProxy (default: systemctl reload haproxy.service)
  --haproxy <path>       the haproxy binary --apply validates with (default: haproxy on PATH)
  --timeout <s>          per request to Marathon, 3 attempts per URL (default 5)
  --watch <s>            run again every <s> seconds until SIGINT/SIGTERM; print passes that change
  --cacert/--cert/--key <f>  TLS to Marathon: CA to verify it, client certificate and key
  --insecure             do not verify Marathon's certificate (named on purpose)
  --marathon-user <u> --marathon-password-env <VAR>
                         Marathon's --http_credentials (basic auth); the password from that variable
  -h, --help             this help`,
  async run({ values, positionals }, { version }) {
    if (positionals.length > 0)
      throw new UsageError(`bridge takes no positional argument, got ${positionals.join(' ')}`);
    const marathon = groupsOf(values.marathon)
      .flat()
      .map((url) => httpUrl('--marathon', url, 'http://10.0.0.1:8080'));
    if (marathon.length === 0) throw new UsageError('give --marathon <url>[,<url>…]');
    if (!values.output) throw new UsageError('missing -o <haproxy.cfg>');
    const user = values['marathon-user'];
    const passwordEnv = values['marathon-password-env'];
    if ((user === undefined) !== (passwordEnv === undefined))
      throw new UsageError('--marathon-user and --marathon-password-env go together');
    const password = passwordEnv === undefined ? undefined : process.env[passwordEnv];
    if (passwordEnv !== undefined && password === undefined)
      throw new UsageError(`--marathon-password-env ${passwordEnv}: the variable is not set`);
    const tls = await tlsFlags(values);
    const options = {
      http: {
        tls,
        ...(user === undefined
          ? {}
          : {
              headers: {
                authorization: `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`,
              },
            }),
      },
      marathon,
      output: values.output,
      apply: values.apply === true,
      reload: values.reload ?? 'systemctl reload haproxy.service',
      haproxy: values.haproxy ?? 'haproxy',
      timeoutMs: secondsFlag('--timeout', values.timeout, 5, TIMEOUT_SECONDS),
      attempts: 3,
    };
    const intervalMs =
      values.watch === undefined ? undefined : secondsFlag('--watch', values.watch, 10, WATCH_SECONDS);
    // loaded by this command only: the bridge and its parsers are not needed elsewhere
    const { bridgeOnce } = await import('../bridge.js');
    const describe = (r: BridgeRun) =>
      [
        `k8sm-render bridge: ${r.listeners} listener(s) for ${r.apps} app(s) from ${r.source} → ${options.output} (${r.changed ? (r.reloaded ? 'changed, reloaded' : 'changed') : 'unchanged'})`,
        ...r.dropped.map((d) => `  dropped ${d}`),
        ...r.notes.map((n) => `  note: ${n}`),
      ].join('\n');
    if (intervalMs === undefined) return { code: 0, stdout: describe(await bridgeOnce(options, version)) };
    // --watch: a failed pass keeps the previous config and is reported; the loop goes on.
    // A pass is printed when it changed the config, or when what it found differs from the last.
    type Pass = {
      readonly text: string;
      readonly found: string;
      readonly changed: boolean;
      readonly failed?: true;
    };
    await watch<Pass>({
      intervalMs,
      round: async () => {
        try {
          const r = await bridgeOnce(options, version);
          const found = JSON.stringify([r.source, r.listeners, r.apps, r.dropped, r.notes]);
          return { text: describe(r), found, changed: r.changed };
        } catch (error) {
          if (!(error instanceof K8smError)) throw error;
          const { maskSecrets } = await import('../secrets.js');
          const text = `k8sm-render bridge: ${maskSecrets(error.message)}`;
          return { text, found: text, changed: false, failed: true };
        }
      },
      changed: (previous, next) => next.changed || previous?.found !== next.found,
      print: (pass) => (pass.failed ? process.stderr : process.stdout).write(`${pass.text}\n`),
    });
    return { code: 0 };
  },
});

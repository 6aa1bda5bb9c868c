import { versionAtLeast } from '@k8sm/spec';

export interface ConfigProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Forms HAProxy deprecates or refuses, by version, and what every config needs. Applied to the
 * built-in template and to a user's own alike. Sources: the HAProxy 2.2 and 2.7 changelogs
 * (headers glued into `option httpchk`'s version string: deprecated from 2.2, refused from 2.7 —
 * use `http-check send`), the 2.1 removal of `reqadd`/`rspadd`/`reqrep`… (use http-request/
 * http-response), the timeout aliases removed in 2.1, and the configuration manual's warning for
 * missing `timeout connect/client/server`.
 */
export function lintHaproxyConfig(text: string, version: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const lines = text.split('\n');
  let sectionHasHttpchk = false;
  let sectionHasSslHello = false;
  let sectionStart = 0;
  const closeSection = () => {
    if (sectionHasHttpchk && sectionHasSslHello)
      problems.push({
        line: sectionStart,
        message: '`option ssl-hello-chk` and `option httpchk` in one section: only one check type applies',
      });
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    const n = i + 1;
    if (!line) return;
    if (/^(global|defaults|frontend|backend|listen|peers|resolvers|userlist|program)\b/.test(line)) {
      closeSection();
      sectionHasHttpchk = false;
      sectionHasSslHello = false;
      sectionStart = n;
      return;
    }
    if (/^option\s+httpchk\b/.test(line)) {
      sectionHasHttpchk = true;
      // headers glued into the HTTP version with \r\n: deprecated in 2.2, an error from 2.7
      if (/\\r\\n/.test(line))
        problems.push({
          line: n,
          message: 'headers in `option httpchk`’s version string (\\r\\n): use `http-check send hdr …`',
        });
    }
    if (/^option\s+ssl-hello-chk\b/.test(line)) sectionHasSslHello = true;
    if (/^(req|rsp)(add|rep|del|iadd|irep|idel|deny|allow|pass|tarpit|itarpit|setbe)\b/.test(line))
      problems.push({
        line: n,
        message: `\`${line.split(/\s/)[0]}\` was removed in 2.1: use http-request / http-response rules`,
      });
    if (/^(clitimeout|srvtimeout|contimeout)\b/.test(line))
      problems.push({
        line: n,
        message: `\`${line.split(/\s/)[0]}\` was removed in 2.1: use \`timeout client|server|connect\``,
      });
    if (/^http-check\s+send\b/.test(line) && !versionAtLeast(version, '2.2'))
      problems.push({
        line: n,
        message: '`http-check send` needs HAProxy 2.2: use `option httpchk <method> <uri>`',
      });
  });
  closeSection();
  for (const timeout of ['connect', 'client', 'server'])
    if (!new RegExp(`^\\s*timeout\\s+${timeout}\\s+\\S+`, 'm').test(text))
      problems.push({ line: 0, message: `no \`timeout ${timeout}\`: HAProxy warns and waits forever` });
  return problems;
}

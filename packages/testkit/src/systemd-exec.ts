const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };

/**
 * A command line split into words as systemd does (systemd.service(5) "Command lines"): blanks
 * separate words, "…" and '…' quote with C-style backslash escapes, `%%` is `%`, `$$` is `$`,
 * `${NAME}` expands inside a word, `$NAME` alone as a word expands to the value split at blanks.
 */
export function splitWords(line: string, env: Readonly<Record<string, string>>): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] ?? '')) i++;
    if (i >= line.length) break;
    const alone = /^\$([A-Za-z_][A-Za-z0-9_]*)(?=\s|$)/.exec(line.slice(i));
    if (alone?.[1]) {
      words.push(...(env[alone[1]] ?? '').split(/\s+/).filter((w) => w !== ''));
      i += alone[0].length;
      continue;
    }
    let word = '';
    while (i < line.length && !/\s/.test(line[i] ?? '')) {
      const ch = line[i] ?? '';
      if (ch === '"' || ch === "'") {
        i++;
        while (i < line.length && line[i] !== ch) {
          if (line[i] === '\\' && i + 1 < line.length) {
            const next = line[i + 1] ?? '';
            word += C_ESCAPES[next] ?? next;
            i += 2;
          } else {
            const [n, text] = plain(line.slice(i), env);
            word += text;
            i += n;
          }
        }
        i++;
      } else if (ch === '\\' && i + 1 < line.length) {
        const next = line[i + 1] ?? '';
        word += C_ESCAPES[next] ?? next;
        i += 2;
      } else {
        const [n, text] = plain(line.slice(i), env);
        word += text;
        i += n;
      }
    }
    words.push(word);
  }
  return words;
}

/** What one character (or `%%`, `$$`, `${NAME}`) at the start of rest stands for, and its length. */
function plain(rest: string, env: Readonly<Record<string, string>>): [number, string] {
  if (rest.startsWith('%%')) return [2, '%'];
  if (rest.startsWith('$$')) return [2, '$'];
  const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest);
  if (braced?.[1]) return [braced[0].length, env[braced[1]] ?? ''];
  return [1, rest[0] ?? ''];
}

/** The argv systemd runs for an ExecStart= value with no environment to expand. */
export function systemdExecArgv(value: string): string[] {
  return splitWords(value, {});
}

/** The ExecStart= value of a unit file. */
export function execStartOf(unit: string): string {
  const line = /^ExecStart=(.*)$/m.exec(unit);
  if (!line?.[1]) throw new Error('the unit has no ExecStart=');
  return line[1];
}

/**
 * The argv systemd runs for an ExecStart= value (systemd.service(5), "Command lines"): words at
 * blanks, "…" and '…' quoting with C-style backslash escapes, `$$` a literal `$`, `%%` a literal
 * `%`. Enough for what k8sm's systemdExec writes (no $VAR expansion, no other specifiers).
 */
export function systemdExecArgv(value: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+)/g;
  for (const m of value.matchAll(pattern)) {
    const quoted = m[1] ?? m[2];
    const word = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (m[3] ?? '');
    words.push(word.replaceAll('$$', '$').replaceAll('%%', '%'));
  }
  return words;
}

/** The ExecStart= value of a unit file. */
export function execStartOf(unit: string): string {
  const line = /^ExecStart=(.*)$/m.exec(unit);
  if (!line?.[1]) throw new Error('the unit has no ExecStart=');
  return line[1];
}

import { type ConfigPlace, refuse, refuseControl } from './refuse.js';

// java.util.Properties.load (OpenJDK src/java.base/share/classes/java/util/Properties.java,
// LineReader and loadConvert) is how ZooKeeper's QuorumPeerConfig reads zoo.cfg: a line whose first
// non-blank character is `#` or `!` is a comment; the key ends at the first unescaped `=`, `:` or
// whitespace; a line ending in an odd number of backslashes continues on the next line; `\uXXXX`
// and `\` + any other character are escapes; the stream is read as ISO-8859-1.

/** Escapes what load() would not read back as itself: backslashes, and every character outside printable ASCII. */
function escaped(text: string, alsoEscape: RegExp): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (alsoEscape.test(ch)) out += `\\${ch}`;
    else if (code > 0x7e)
      // a character beyond the BMP is two UTF-16 units, each written as its own \uXXXX
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/**
 * One `key=value` line of a java.util.Properties file (zoo.cfg). In the key the separators
 * `=`, `:`, a space and a leading `#`/`!` are escaped; in the value only backslashes and
 * non-ASCII characters need to be, so a plain value is written as it is.
 *
 * @param file the file on the host, named in the error
 */
export function propertiesLine(file: string, key: string, value: string | number | boolean): string {
  const text = String(value);
  const at: ConfigPlace = { file, key };
  refuseControl({ file, key: `the key ${JSON.stringify(key)}` }, key);
  refuseControl(at, text);
  if (key === '') refuse(at, 'has an empty key', 'name the key');
  // load() skips the value's leading whitespace and ZooKeeper trims each value (QuorumPeerConfig.parseProperties)
  if (text !== text.trim())
    refuse(at, 'starts or ends with whitespace, which ZooKeeper trims off', 'remove the whitespace');
  const safeKey = escaped(key, /[=: ]/).replace(/^[#!]/, '\\$&');
  return `${safeKey}=${escaped(text, /(?!)/)}`;
}

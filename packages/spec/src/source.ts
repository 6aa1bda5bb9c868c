import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { SpecSyntaxError } from './errors.js';

export type SpecPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A spec file's data, and a way back from a JSON path to the line and column it came from. */
export interface SpecSource {
  readonly file: string;
  readonly format: 'json' | 'yaml';
  readonly data: unknown;
  /** Where `path` (or, when it does not exist, its deepest existing parent) was written. */
  locate(path: SpecPath): Position | undefined;
}

export function specFormat(file: string, text: string): 'json' | 'yaml' {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

export function parseSpecText(text: string, file: string): SpecSource {
  const format = specFormat(file, text);
  let data: unknown;
  if (format === 'json') data = parseJson(text, file);
  // The YAML parser reads JSON too: it gives positions for error messages and, unlike
  // JSON.parse, refuses duplicate keys (which would silently drop the first value).
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? { line: 1, col: 1 };
    const detail = first.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    throw new SpecSyntaxError(file, pos.line, pos.col, `${format === 'json' ? 'invalid JSON' : 'invalid YAML'}: ${detail}`);
  }
  if (format === 'yaml') data = doc.toJS({ maxAliasCount: 1000 });

  const locate = (path: SpecPath): Position | undefined => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0];
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key];
        if (!item) break;
        offset = (item as Node).range?.[0] ?? offset;
        node = item;
      } else break;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return { file, format, data, locate };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    const detail = message.replace(/ in JSON at position \d+.*$/, '').replace(/,? ?"\[?[\s\S]*?is not valid JSON$/, '');
    throw new SpecSyntaxError(file, line, column, `invalid JSON: ${detail}`);
  }
}

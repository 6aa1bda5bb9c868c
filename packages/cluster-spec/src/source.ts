import {
  findNodeAtLocation,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
  visit,
} from 'jsonc-parser';
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
  return specFormat(file, text) === 'json' ? parseJsonSpec(text, file) : parseYamlSpec(text, file);
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

const JSON_ERRORS: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a "quoted" key (a trailing comma?)',
  ValueExpected: 'expected a value (a trailing comma?)',
  ColonExpected: 'expected ":" after the key',
  CommaExpected: 'expected "," between entries',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the list',
  EndOfFileExpected: 'unexpected content after the end of the spec',
  InvalidCommentToken: 'comments are not allowed in JSON (use a .yaml spec for comments)',
  UnexpectedEndOfComment: 'comments are not allowed in JSON (use a .yaml spec for comments)',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/**
 * JSON through jsonc-parser's scanner, which gives offsets for syntax errors and, unlike
 * JSON.parse, lets us refuse duplicate keys (JSON.parse silently keeps the last one).
 */
function parseJsonSpec(text: string, file: string): SpecSource {
  const fail = (offset: number, detail: string): never => {
    const { line, column } = positionOf(text, offset);
    throw new SpecSyntaxError(file, line, column, `invalid JSON: ${detail}`);
  };
  const errors: ParseError[] = [];
  const keys: Set<string>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void keys.push(new Set()),
      onObjectEnd: () => void keys.pop(),
      onObjectProperty: (key, offset) => {
        const seen = keys[keys.length - 1];
        if (seen?.has(key)) fail(offset, `duplicate key "${key}" (the earlier value would be silently lost)`);
        seen?.add(key);
      },
      onError: (error, offset) => void errors.push({ error, offset, length: 0 }),
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  const first = errors[0];
  if (first)
    fail(first.offset, JSON_ERRORS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    fail(0, error instanceof Error ? error.message : String(error));
  }
  let tree: JsonNode | undefined;
  const locate = (path: SpecPath): Position | undefined => {
    tree ??= parseTree(text);
    if (!tree) return undefined;
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(tree, [...path.slice(0, n)]);
      if (!node) continue;
      // point at the key of a property rather than at its value
      const at =
        node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
      return positionOf(text, at.offset);
    }
    return undefined;
  };
  return { file, format: 'json', data, locate };
}

function parseYamlSpec(text: string, file: string): SpecSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? { line: 1, col: 1 };
    const detail = first.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    throw new SpecSyntaxError(file, pos.line, pos.col, `invalid YAML: ${detail}`);
  }
  const data = doc.toJS({ maxAliasCount: 1000 });
  const locate = (path: SpecPath): Position | undefined => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0];
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key),
        );
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
  return { file, format: 'yaml', data, locate };
}

import {
  createScanner,
  findNodeAtLocation,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
  visit,
} from 'jsonc-parser';
import { SpecSyntaxError } from './errors.js';
import { type Position, positionOf, SPEC_LIMITS, type SpecPath, type SpecSource } from './spec-text.js';
import { quote } from './text.js';

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

// jsonc-parser's SyntaxKind is an ambient const enum, which verbatimModuleSyntax cannot import
const OPEN = [1, 3];
const CLOSE = [2, 4];
const EOF = 17;

/** The offset of the first `{` or `[` nested deeper than the limit (jsonc-parser's visit recurses). */
function tooDeepAt(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (OPEN.includes(kind)) {
      if (++depth > SPEC_LIMITS.depth) return scanner.getTokenOffset();
    } else if (CLOSE.includes(kind)) depth--;
  }
  return undefined;
}

/**
 * JSON through jsonc-parser's scanner, which gives offsets for syntax errors and, unlike
 * JSON.parse, lets us refuse duplicate keys (JSON.parse silently keeps the last one).
 */
export function parseJsonSpec(text: string, file: string): SpecSource {
  const fail = (offset: number, detail: string): never => {
    const { line, column } = positionOf(text, offset);
    throw new SpecSyntaxError(file, line, column, `invalid JSON: ${detail}`);
  };
  const deep = tooDeepAt(text);
  if (deep !== undefined)
    fail(
      deep,
      `nested more than ${SPEC_LIMITS.depth} levels deep (a spec nests about 6): close the mappings and lists opened before this one`,
    );
  const errors: ParseError[] = [];
  const keys: Set<string>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void keys.push(new Set()),
      onObjectEnd: () => void keys.pop(),
      onObjectProperty: (key, offset) => {
        const seen = keys[keys.length - 1];
        if (seen?.has(key))
          fail(offset, `duplicate key ${quote(key)} (the earlier value would be silently lost)`);
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

import {
  type CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  parseDocument,
} from 'yaml';
import { SpecSyntaxError } from './errors.js';
import { type Position, positionOf, SPEC_LIMITS, type SpecPath, type SpecSource } from './spec-text.js';

type Fail = (offset: number, detail: string) => never;

const TOO_DEEP = `nested more than ${SPEC_LIMITS.depth} levels deep (a spec nests about 6): close the mappings and lists opened before this one`;

/** The yaml composer recurses (and can exhaust memory on `- - - …`): measure depth on the CST first. */
function refuseDeepNesting(text: string, fail: Fail): void {
  const stack: [CST.Token | undefined, number][] = [];
  for (const token of new Parser().parse(text)) stack.push([token, 0]);
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [token, depth] = top;
    if (!token) continue;
    if (token.type === 'document') stack.push([token.value, depth]);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > SPEC_LIMITS.depth) fail(token.offset, TOO_DEEP);
      for (const item of token.items) {
        if ('key' in item) stack.push([item.key ?? undefined, depth + 1]);
        stack.push([item.value, depth + 1]);
      }
    }
  }
}

const isMergeKey = (key: unknown) => isScalar(key) && typeof key.value === 'symbol';

/** `<<:` takes a mapping, an alias of one, or a list of those (yaml's toJS throws otherwise). */
function refuseBadMerge(value: unknown, anchors: Map<string, unknown>, fail: Fail): void {
  for (const source of isSeq(value) ? value.items : [value]) {
    const target = isAlias(source) ? anchors.get(source.source) : source;
    if (isAlias(source) && target === undefined) continue; // the alias check names it
    if (!isMap(target))
      fail(
        (source as Node | null)?.range?.[0] ?? 0,
        'a merge key (<<) takes a mapping or an alias of one, e.g. <<: *defaults',
      );
  }
}

/**
 * Every alias names an anchor written before it, outside the node it stands for (a cycle has no
 * JSON form), and all aliases together copy in at most SPEC_LIMITS.aliasNodes nodes: an alias
 * bomb is refused at the alias that crosses the limit, before anything is expanded.
 */
function refuseBadAliases(doc: Document, fail: Fail): void {
  const anchors = new Map<string, unknown>();
  const sizes = new Map<unknown, number>();
  let copied = 0;
  const stack: [unknown, boolean][] = [[doc.contents, false]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, done] = top;
    const children = isMap(node) || isSeq(node) ? node.items : isPair(node) ? [node.key, node.value] : [];
    if (done) {
      sizes.set(node, 1 + children.reduce((sum: number, c) => sum + (sizes.get(c) ?? 0), 0));
      continue;
    }
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (target === undefined)
        fail(offset, `the alias *${node.source} names no anchor: write &${node.source} on a node above it`);
      const size = sizes.get(target);
      if (size === undefined)
        fail(offset, `the alias *${node.source} is inside the node it names: a spec cannot contain itself`);
      copied += size;
      if (copied > SPEC_LIMITS.aliasNodes)
        fail(
          offset,
          `aliases copy in more than ${SPEC_LIMITS.aliasNodes} nodes (an alias bomb?): write the values out, or alias smaller parts`,
        );
      sizes.set(node, size);
      continue;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node);
    if (isPair(node) && isMergeKey(node.key)) refuseBadMerge(node.value, anchors, fail);
    stack.push([node, true]);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], false]);
  }
}

/** The value a key has in a mapping, looking through `<<: *anchor` merges as `toJS` does. */
function pairIn(
  doc: Document,
  map: unknown,
  key: string | number,
): { key: Node; value: unknown } | undefined {
  if (!isMap(map)) return undefined;
  for (const p of map.items)
    if (isScalar(p.key) && !isMergeKey(p.key) && String(p.key.value) === String(key))
      return { key: p.key, value: p.value };
  for (const p of map.items) {
    if (!isMergeKey(p.key)) continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (const source of sources) {
      const found = pairIn(doc, isAlias(source) ? source.resolve(doc) : source, key);
      if (found) return found;
    }
  }
  return undefined;
}

export function parseYamlSpec(text: string, file: string): SpecSource {
  const fail: Fail = (offset, detail) => {
    const { line, column } = positionOf(text, offset);
    throw new SpecSyntaxError(file, line, column, `invalid YAML: ${detail}`);
  };
  refuseDeepNesting(text, fail);
  const lines = new LineCounter();
  // merge: `<<: *defaults`, the YAML 1.1 merge key editors and generators write
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true, merge: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? { line: 1, col: 1 };
    const detail = first.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    throw new SpecSyntaxError(file, pos.line, pos.col, `invalid YAML: ${detail}`);
  }
  refuseBadAliases(doc, fail);
  const data = doc.toJS({ maxAliasCount: -1 });
  const locate = (path: SpecPath): Position | undefined => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0];
    for (const key of path) {
      const pair = pairIn(doc, node, key);
      const item = isSeq(node) && typeof key === 'number' ? node.items[key] : undefined;
      const at = pair?.key ?? (item as Node | undefined);
      if (!at) break;
      offset = at.range?.[0] ?? offset;
      node = pair ? pair.value : item;
      if (isAlias(node)) node = node.resolve(doc);
    }
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return { file, format: 'yaml', data, locate };
}

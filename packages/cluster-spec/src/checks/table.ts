import { CHECK_DEFINITIONS } from './registry.js';

const BEGIN =
  '<!-- checks:begin — generated from CHECK_DEFINITIONS by `pnpm --filter @k8sm/spec readme:checks` -->';
const END = '<!-- checks:end -->';

/** The README's check table: one row per check, in registry order. */
export function checksMarkdownTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    '| check | severity | waivable | what it guards |',
    '|---|---|---|---|',
    ...CHECK_DEFINITIONS.map(
      (c) => `| \`${c.id}\` | ${c.severity} | ${c.waivable ? 'yes' : 'no'} | ${cell(c.about)} |`,
    ),
  ].join('\n');
}

/** `readme` with the block between the check-table markers replaced by the current table. */
export function withChecksTable(readme: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END, begin);
  if (begin < 0 || end < 0)
    throw new Error(`the README has no check table block: put the lines ${BEGIN} and ${END} around it`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${checksMarkdownTable()}\n${readme.slice(end)}`;
}

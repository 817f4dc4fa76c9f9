// Shared by the formatter tests: the fixture list, and the two comparisons that define a correct
// formatting (same tree without positions, same comments in the same order).
import { readdirSync, readFileSync } from 'node:fs';
import type { PolicyFile } from '../../../dsl/ast/types.js';
import { format } from '../../../dsl/format/index.js';
import { parse } from '../../../dsl/parse/index.js';

export const fixtureDir = 'test/fixtures/format';

/** The messy inputs: every `<name>.charter` that is not itself a `.formatted.charter` golden. */
export const fixtureNames = readdirSync(fixtureDir)
  .filter((name) => name.endsWith('.charter') && !name.endsWith('.formatted.charter'))
  .map((name) => name.replace(/\.charter$/, ''))
  .sort();

export const readFixture = (name: string): string => readFileSync(`${fixtureDir}/${name}.charter`, 'utf8');

const SPAN_KEYS = ['offset', 'end', 'line', 'col', 'endLine', 'endCol'];
const isSpan = (value: object): boolean =>
  Object.keys(value).length === SPAN_KEYS.length && SPAN_KEYS.every((key) => key in value);

/**
 * The tree without positions. `span` keys go; so do the values of clause flags that the AST
 * stores as bare spans (`veto`, `allowDelegation`...), which become `true` (present).
 */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== 'object') return value;
  if (isSpan(value)) return true;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'span')
      .map(([key, child]) => [key, withoutSpans(child)]),
  );
}

/** The AST of `text`, failing the test on any error diagnostic. */
export function parseClean(text: string): PolicyFile {
  const { ast, diagnostics } = parse(text, 'test.charter');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Error(
      `does not parse:\n${errors.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n')}\n${text}`,
    );
  }
  return ast;
}

/** The formatted text, failing the test when the formatter refuses. */
export function formatted(text: string): string {
  const result = format(text, 'test.charter');
  if (result.text === null)
    throw new Error(`not formatted: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.text;
}

/** Comment texts in order; trailing whitespace aside, which the formatter trims from every line. */
export const commentTexts = (ast: PolicyFile): string[] => ast.comments.map((c) => c.text.trimEnd());

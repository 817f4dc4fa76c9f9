// Reading the JSON files the simulator commands take (policy tests, event scripts, worlds,
// inputs): a file that is not JSON, or not the expected shape, is a usage problem reported with
// the file and the field path, before anything runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { compileEntry } from '../index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { testFileSchema, worldSchema } from '../../engine/simulate/index.js';
import type { TestFile, WorldInput } from '../../engine/simulate/index.js';
import { renderText, summarize } from '../diagnostics/render.js';
import { diskHost, UsageError } from './files.js';

/** A file's JSON, or a UsageError naming the file and what is wrong with it. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/** Parses with `schema`; every problem is listed as `file: path: message`. */
function shaped<T extends z.ZodType>(file: string, raw: unknown, schema: T): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${file}: ${issuePath(issue.path)}: ${issue.message}`);
  throw new UsageError(
    `${file} is not a valid ${file.endsWith('.test.json') ? 'policy test file' : 'file'}:\n${lines.join('\n')}`,
  );
}

export function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/**
 * A policy test file with its world's `include` chain resolved (paths relative to the file that
 * names them), so that policies of one organisation share one directory.
 */
export function readTestFile(file: string): TestFile {
  return readWithWorld(file, testFileSchema);
}

/** A JSON file whose optional `world` may `include` another world file. */
export function readWithWorld<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const raw = readJson(file);
  if (isMap(raw) && 'world' in raw) raw['world'] = resolveWorld(file, raw['world'], [file]);
  return shaped(file, raw, schema);
}

/** A world file (`--world`), includes resolved. */
export function readWorldFile(file: string): WorldInput {
  return shaped(file, resolveWorld(file, readJson(file), []), worldSchema);
}

function resolveWorld(from: string, world: unknown, seen: string[]): unknown {
  if (typeof world !== 'object' || world === null || !('include' in world)) return world;
  const { include, ...own } = world as { include: unknown } & Record<string, unknown>;
  if (typeof include !== 'string') return world; // the schema reports it
  const target = path.resolve(path.dirname(from), include);
  if (seen.includes(target)) throw new UsageError(`${from}: world include cycle through ${target}`);
  const base = shaped(target, resolveWorld(target, readJson(target), [...seen, target]), worldSchema);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(own)) {
    const inherited = merged[key];
    // Maps merge key by key; lists (people) add up.
    merged[key] =
      Array.isArray(value) && Array.isArray(inherited)
        ? [...(inherited as unknown[]), ...(value as unknown[])]
        : isMap(value) && isMap(inherited)
          ? { ...inherited, ...value }
          : value;
  }
  return merged;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The compiled policy, or null after printing why it does not compile. */
export function compileForRun(file: string, err: (text: string) => void): CompiledPolicy | null {
  const { compiled, diagnostics } = compileEntry(file, diskHost);
  if (compiled) return compiled;
  err(renderText(diagnostics, (f) => diskHost.readFile(f)) + '\n');
  err(`${summarize(diagnostics, 1)}: ${file} does not compile\n`);
  return null;
}

/** `policies/x.charter` <-> `policies/x.test.json`. */
export const testFileOf = (policy: string): string => policy.replace(/\.charter$/, '.test.json');
export const policyFileOf = (testFile: string): string => testFile.replace(/\.test\.json$/, '.charter');

// What the scenario builder takes from the policy's test file and gives back to it. It runs a
// scenario as `charter test` would run it in that file: local times in the file's zone, the file's
// world under the scenario's own groups. "Add to tests" appends the scenario, with the status it
// ended in as its expectation, so that what the author just saw becomes a regression test. The
// file is read leniently: a half-written one still lends its zone and world. Pure.
import type { CompiledPolicy } from '../../../../../engine/ir/types.js';
import { type Scenario, type WorldInput, worldSchema } from '../../../../../engine/simulate/index.js';

export interface TestDefaults {
  /** The zone the scenario's local times are read and shown in. */
  timezone: string;
  start?: string;
  world: WorldInput;
}

export type FinalStatus = 'running' | 'approved' | 'rejected' | 'cancelled';

const objectOf = (text: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
};

/**
 * The zone, start and world of the test file `text`. A file without a zone is in UTC, as the
 * test runner reads it; with no file yet, the zone of the policy's first calendar.
 */
export function testDefaults(text: string, policy: CompiledPolicy): TestDefaults {
  const file = objectOf(text);
  const zone = file?.['timezone'];
  const start = file?.['start'];
  const world = worldSchema.safeParse(file?.['world'] ?? {});
  return {
    timezone:
      typeof zone === 'string' ? zone : file !== null ? 'UTC' : (policy.ir.calendars[0]?.timezone ?? 'UTC'),
    ...(typeof start === 'string' ? { start } : {}),
    world: world.success ? world.data : worldSchema.parse({}),
  };
}

/** `name`, or `name (2)`, `name (3)`, ... if the file already has a test so named. */
function freeName(name: string, taken: readonly unknown[]): string {
  const names = new Set(taken.map((t) => (t as { name?: unknown } | null)?.name));
  let candidate = name;
  for (let n = 2; names.has(candidate); n++) candidate = `${name} (${n})`;
  return candidate;
}

/** The test file with `scenario` appended, expecting `status`; or why it cannot be appended. */
export function appendToTests(
  text: string,
  scenario: Scenario,
  status: FinalStatus,
  timezone: string,
): { text: string } | { problem: string } {
  const empty = text.trim() === '';
  const file = empty ? (timezone === 'UTC' ? {} : { timezone }) : objectOf(text);
  if (file === null) return { problem: 'The test file is not a JSON object: fix it in the Tests tab first.' };
  const found: unknown = file['tests'] ?? [];
  if (!Array.isArray(found))
    return { problem: 'The test file\'s "tests" is not a list: fix it in the Tests tab first.' };
  const tests = found as unknown[];
  const test = { ...scenario, name: freeName(scenario.name, tests), expect: { status } };
  return { text: `${JSON.stringify({ ...file, tests: [...tests, test] }, null, 2)}\n` };
}

// The scenario format shared by `charter simulate --events`, policy tests (`<policy>.test.json`)
// and the API's simulate route: a world, a start, and a script of what people and services do
// at which time, with expectations in between. Parsed with zod so that a mistake in a test file is
// reported with its path (`tests[2].script[4].approve`), not as a failed test.
import { z } from 'zod';
import { instantOf } from '../calendar/index.js';
import { monitorTestSchema } from './monitor-test.js';

const person = z.string().min(1);
const stepName = z.string().min(1);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

export const worldSchema = z.strictObject({
  /** A world file this one extends (resolved by whoever reads files); keys here win. */
  include: z.string().optional(),
  groups: z.record(z.string(), z.array(person)).default({}),
  managers: z.record(z.string(), person).default({}),
  people: z.array(person).default([]),
  services: z
    .record(
      z.string(),
      z.strictObject({
        /** `pending`: the check waits until the script answers it with a `check` entry. */
        outcome: z.enum(['passed', 'failed', 'error', 'pending']),
        evidence: z.string().optional(),
        detail: z.string().optional(),
      }),
    )
    .default({}),
  capacity: z.record(z.string(), z.record(z.string(), z.number().nonnegative())).default({}),
  /**
   * The qualification registry: id (`itil-change`) to how many calendar months a completion stays
   * valid (null: for good) and who completed it on which days, as the PMO records them.
   */
  qualifications: z
    .record(
      z.string().min(1),
      z.strictObject({
        validityMonths: z.number().int().min(1).nullable(),
        completed: z.record(person, z.array(isoDay).min(1)).default({}),
      }),
    )
    .default({}),
});

export const expectationSchema = z.strictObject({
  status: z.enum(['running', 'approved', 'rejected', 'cancelled']).optional(),
  /** A substring of the message the process ended with. */
  message: z.string().optional(),
  /** Exactly the open tasks, each with exactly these assignees (order does not matter). */
  tasks: z.array(z.strictObject({ step: stepName, assignees: z.array(person) })).optional(),
  /** As many entries as blockedOn has, each a substring of the entry at its position. */
  blockedOn: z.array(z.string()).optional(),
  /** Substrings of decision texts, found in this order (other decisions may come between). */
  decisions: z.array(z.string()).optional(),
  /** Substrings no decision text may contain: "was never escalated". */
  noDecisions: z.array(z.string()).optional(),
  /** Notifications in this order: recipients (all of them must be among those notified) and text. */
  notified: z
    .array(z.strictObject({ to: z.array(person).default([]), text: z.string().default('') }))
    .optional(),
  /** Step results, field by field (fields not named are not compared). */
  results: z.record(stepName, z.record(z.string(), z.unknown())).optional(),
  /** Steps whose external check waits for an answer. */
  checksRunning: z.array(stepName).optional(),
});

const VERBS = [
  'approve',
  'reject',
  'requestChanges',
  'attest',
  'waive',
  'check',
  'cancel',
  'expect',
] as const;

export const scriptEntrySchema = z
  .strictObject({
    /** `+2h`, `+1d 4h`, `+3w` after the previous entry, or `2026-12-08 10:00` in the scenario's zone. */
    at: z.string().optional(),
    as: person.optional(),
    onBehalfOf: person.optional(),
    approve: stepName.optional(),
    reject: stepName.optional(),
    requestChanges: stepName.optional(),
    attest: stepName.optional(),
    waive: stepName.optional(),
    check: stepName.optional(),
    cancel: z.string().optional(),
    outcome: z.enum(['passed', 'failed', 'error']).optional(),
    reason: z.string().optional(),
    evidence: z.string().optional(),
    detail: z.string().optional(),
    /** The refusal code this action must get; an action refused without it fails the test. */
    refused: z.string().optional(),
    expect: expectationSchema.optional(),
  })
  .superRefine((entry, ctx) => {
    const verbs = VERBS.filter((v) => entry[v] !== undefined);
    if (verbs.length > 1) {
      ctx.addIssue({ code: 'custom', message: `one action per entry, not ${verbs.join(' and ')}` });
    } else if (verbs.length === 0 && entry.at === undefined) {
      ctx.addIssue({ code: 'custom', message: `an entry needs \`at\` or one of ${VERBS.join(', ')}` });
    }
    const needsActor = ['approve', 'reject', 'requestChanges', 'attest', 'waive', 'cancel'] as const;
    const verb = verbs[0];
    if (verb !== undefined && (needsActor as readonly string[]).includes(verb) && entry.as === undefined) {
      ctx.addIssue({ code: 'custom', path: ['as'], message: `\`${verb}\` needs \`as\`: who acts` });
    }
    if (verb === 'check' && entry.outcome === undefined) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: '`check` needs an `outcome`' });
    }
  });

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  process: z.string().min(1),
  /** When the instance starts: `2026-12-07 09:00` in the zone, or an ISO instant. */
  start: z.string().optional(),
  startedBy: person,
  input: z.record(z.string(), z.unknown()),
  /** Merged over the file's world, key by key (a group named here replaces the file's). */
  world: worldSchema.partial().optional(),
  script: z.array(scriptEntrySchema).default([]),
  expect: expectationSchema.optional(),
});

export const testFileSchema = z
  .strictObject({
    /** The zone local times in this file are read in (an IANA name). */
    timezone: z.string().default('UTC'),
    start: z.string().optional(),
    world: worldSchema.default({
      groups: {},
      managers: {},
      people: [],
      services: {},
      capacity: {},
      qualifications: {},
    }),
    tests: z.array(scenarioSchema).default([]),
    /** Monitors on the virtual clock (monitor-test.ts). */
    monitorTests: z.array(monitorTestSchema).default([]),
  })
  .refine((file) => file.tests.length + file.monitorTests.length > 0, {
    message: 'a test file needs at least one scenario in `tests` or `monitorTests`',
    path: ['tests'],
  });

export type ScriptEntry = z.infer<typeof scriptEntrySchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export type TestFile = z.infer<typeof testFileSchema>;
export type WorldInput = z.infer<typeof worldSchema>;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * An instant from a script time: relative to `now` (`+1d 2h 30m`: plain calendar time, not
 * business time, so a test says exactly when people act), local in `timeZone`, or ISO with an
 * offset. Returns an error message for anything else.
 */
export function parseTime(text: string, now: number, timeZone: string): number | string {
  const trimmed = text.trim();
  if (trimmed.startsWith('+')) {
    const parts = trimmed.slice(1).trim().split(/\s+/);
    let total = 0;
    for (const part of parts) {
      const match = /^(\d+)([mhdw])$/.exec(part);
      if (!match) return `\`${text}\`: relative times look like +30m, +4h, +2d, +1w or +1d 4h`;
      total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
    }
    return now + total;
  }
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(trimmed);
  if (local) {
    try {
      return instantOf(local[1] ?? '', local[2] ?? '', timeZone);
    } catch (error) {
      return `\`${text}\`: ${(error as Error).message}`;
    }
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isFinite(at)) return at;
  }
  return `\`${text}\`: write +2h (after the previous entry), 2026-12-08 10:00 (in ${timeZone}) or an ISO instant with Z or an offset`;
}

// Qualifications as the store keeps them (store/qualifications.ts): an entry of the PMO's registry
// ("ITIL change management", valid 12 months), one completion of one by one person, the standing a
// person's completions give them on a day, the calendar arithmetic behind it, and the store's
// errors. Kept apart from the queries so that each file holds one concept.
//
// The boundary rule, one for every reader: a completion is valid from the day it was completed
// until and including the day before `expiresOn`; on `expiresOn` itself it has expired. So
// "ITIL change, valid 12 months, completed 2027-03-15" has expiresOn 2028-03-15 and is valid
// until 2028-03-14. `expiresOn` is the completion day plus the qualification's validity in
// calendar months, computed when the completion is recorded and kept: changing a qualification's
// validity later changes only the completions recorded after. A month later than a day that the
// month does not have is its last day (2027-01-31 + 1 month = 2027-02-28).
//
// A person's latest completion (by completion day) decides their standing: a renewal extends it,
// and an older completion never outlives a newer one.
import { z } from 'zod';
import { isoDay, validDate } from './documents.js';

export const COMPLETION_SOURCES = ['admin', 'attestation', 'import'] as const;
export type CompletionSource = (typeof COMPLETION_SOURCES)[number];

export interface QualificationFields {
  name: string;
  description: string | null;
  /** Calendar months a completion stays valid; null: it never expires. */
  validityMonths: number | null;
}

export interface Qualification extends QualificationFields {
  /** A slug: `itil-change`. */
  id: string;
  version: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

/** A completion as a caller records it. */
export interface NewCompletion {
  person: string;
  qualification: string;
  /** YYYY-MM-DD */
  completedOn: string;
  source: CompletionSource;
  /** What shows it: a certificate number, a link, a note. */
  evidence: string | null;
}

export interface Completion extends NewCompletion {
  /** `<qualification>:<completedOn>:<person>`: one per (person, qualification, day). */
  id: string;
  /** The first day it is no longer valid (see the file comment); null: never. */
  expiresOn: string | null;
  recordedBy: string;
  recordedAt: Date;
}

/**
 * Where a person stands in a qualification on a day: `valid` until and including `until` (null:
 * for good), `expired` on `on` (their latest completion's expiresOn), or `never` completed (by then).
 */
export type Standing =
  | { status: 'valid'; until: string | null; completedOn: string }
  | { status: 'expired'; on: string; completedOn: string }
  | { status: 'never' };

/** The standing of someone who completed it: valid or expired. */
export type HeldStanding = Exclude<Standing, { status: 'never' }>;

export class QualificationExistsError extends Error {
  override name = 'QualificationExistsError';

  constructor(readonly id: string) {
    super(`qualification \`${id}\` already exists`);
  }
}

export class QualificationNotFoundError extends Error {
  override name = 'QualificationNotFoundError';

  constructor(readonly id: string) {
    super(`no qualification \`${id}\``);
  }
}

/** The entry is at another version than the one the change was made on. */
export class QualificationVersionConflictError extends Error {
  override name = 'QualificationVersionConflictError';

  constructor(
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`qualification \`${id}\` is at version ${actual}, not ${expected}`);
  }
}

/** The completion's (person, qualification, day) is recorded already, with other evidence. */
export class CompletionConflictError extends Error {
  override name = 'CompletionConflictError';

  constructor(readonly existing: Completion) {
    super(
      `${existing.person} completed \`${existing.qualification}\` on ${existing.completedOn} ` +
        `according to a record with other evidence (${existing.evidence ?? 'none'})`,
    );
  }
}

export const completionId = (c: Pick<NewCompletion, 'qualification' | 'completedOn' | 'person'>): string =>
  // The slug has no `:` and the day a fixed width, so the id reads back whatever the person id holds.
  `${c.qualification}:${c.completedOn}:${c.person}`;

const DAY_MS = 24 * 3600 * 1000;

/** The UTC midnight of a YYYY-MM-DD day. */
const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);

const dayText = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `day` plus `months` calendar months; past the end of a shorter month, its last day. */
export function addMonths(day: string, months: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return dayText(Date.UTC(year, month, Math.min(d, lastDay)));
}

export const dayBefore = (day: string): string => dayText(dayStart(day) - DAY_MS);

/** When a completion on `completedOn` expires under a validity of `months` (null: never). */
export const expiryOf = (completedOn: string, months: number | null): string | null =>
  months === null ? null : addMonths(completedOn, months);

/** The standing one completion gives on `on` (YYYY-MM-DD texts compare as their days). */
export function standingFrom(
  latest: Pick<Completion, 'completedOn' | 'expiresOn'>,
  on: string,
): HeldStanding {
  const { completedOn, expiresOn } = latest;
  if (expiresOn === null) return { status: 'valid', until: null, completedOn };
  return on < expiresOn
    ? { status: 'valid', until: dayBefore(expiresOn), completedOn }
    : { status: 'expired', on: expiresOn, completedOn };
}

/**
 * The standing of each person of `people` on `on`, from any of their completions of one
 * qualification: the latest completed by `on` decides; none by then is `never`.
 */
export function standingsOf<C extends Pick<Completion, 'person' | 'completedOn' | 'expiresOn'>>(
  people: readonly string[],
  completions: readonly C[],
  on: string,
): Map<string, Standing> {
  const latest = new Map<string, C>();
  for (const c of completions) {
    if (c.completedOn > on) continue;
    const before = latest.get(c.person);
    if (before === undefined || c.completedOn > before.completedOn) latest.set(c.person, c);
  }
  return new Map(
    people.map((person) => {
      const c = latest.get(person);
      return [person, c === undefined ? { status: 'never' } : standingFrom(c, on)];
    }),
  );
}

/** A caller's fields, checked and in schema order; RangeError naming the bad field (as projects do). */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  throw new RangeError(`${what}: ${path}: ${issue?.message ?? 'invalid'}`);
}

export const qualificationDocSchema = z.object({
  _id: z.string(),
  name: z.string().min(1),
  description: z.string().nullable(),
  validityMonths: z.number().int().min(1).nullable(),
  version: z.number().int().min(1),
  createdAt: validDate,
  createdBy: z.string(),
  updatedAt: validDate,
  updatedBy: z.string(),
});
export type QualificationDoc = z.infer<typeof qualificationDocSchema>;

export const fieldsSchema = z.object({
  name: z.string().min(1),
  description: z.string().nullable(),
  validityMonths: z.number().int().min(1).nullable(),
});
export const patchSchema = fieldsSchema.partial();

export const completionDocSchema = z.object({
  _id: z.string(),
  person: z.string().min(1),
  qualification: z.string().min(1),
  completedOn: isoDay,
  expiresOn: isoDay.nullable(),
  source: z.enum(COMPLETION_SOURCES),
  evidence: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: validDate,
});
export type CompletionDoc = z.infer<typeof completionDocSchema>;

export const newCompletionSchema = z.object({
  person: z.string().min(1),
  qualification: z.string().min(1),
  completedOn: isoDay,
  source: z.enum(COMPLETION_SOURCES),
  evidence: z.string().nullable(),
});

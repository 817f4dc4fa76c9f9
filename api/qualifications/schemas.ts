// The request and answer shapes of /v1/qualifications, /v1/people/:id/qualifications and
// /v1/me/qualifications: an entry of the PMO's registry (a slug, a name, a validity in months or
// none), a completion of one by a person, and where a person stands on a day. What a schema can
// check alone is checked here, with field paths; what needs the store or today's date (is the
// person active, is the day not ahead) is the routes'.
import { z } from 'zod';
import {
  COMPLETION_SOURCES,
  type Completion,
  type PersonQualification,
  type Qualification,
  type Standing,
} from '../../store/index.js';
import { personId } from '../directory/schemas.js';
import { pageQuery } from '../paging.js';

/** A qualification's id as a URL carries it: `itil-change`. */
export const qualificationId = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
    'expected a slug of small letters, digits and "-" (e.g. itil-change)',
  );

/** A calendar date, `YYYY-MM-DD`, a real day of its year (no 2027-02-30). */
export const calendarDay = z.iso.date('expected a date as YYYY-MM-DD');

/** The longest validity: fifty years, past which "never expires" says it better. */
export const MAX_VALIDITY_MONTHS = 600;
export const MAX_EVIDENCE = 2000;

const name = z.string().trim().min(1, 'name the qualification').max(200);
const description = z.string().trim().max(2000).nullable();
const validityMonths = z
  .number()
  .int('expected whole months')
  .min(1, 'at least 1 month; null for a qualification that never expires')
  .max(MAX_VALIDITY_MONTHS, `at most ${MAX_VALIDITY_MONTHS} months; null for one that never expires`)
  .nullable()
  .describe('calendar months a completion stays valid; null: it never expires');

/** Evidence as given: trimmed, an empty text is none. */
export const evidence = z
  .string()
  .trim()
  .max(MAX_EVIDENCE, `at most ${MAX_EVIDENCE} characters`)
  .nullable()
  .transform((text) => (text === null || text === '' ? null : text))
  .describe('what shows the completion: a certificate number, a link, a note');

/** A new entry. The validity must be given: null (never expires) is a decision, not a default. */
export const createQualificationBody = z.strictObject({
  id: qualificationId,
  name,
  description: description.default(null),
  validityMonths,
});

export const patchQualificationBody = z
  .strictObject({
    version: z.number().int().min(1).optional().describe('the version the change was made on; 409 if stale'),
    name: name.optional(),
    description: description.optional(),
    validityMonths: validityMonths
      .optional()
      .describe('applies to completions recorded from now on; recorded ones keep their expiry'),
  })
  .superRefine((body, ctx) => {
    if (Object.keys(body).every((key) => key === 'version')) {
      ctx.addIssue({ code: 'custom', path: [], message: 'change at least one field' });
    }
  });

export const qualificationParams = z.object({ id: qualificationId });
export const personParams = z.object({ id: personId });

export const recordCompletionBody = z.strictObject({
  person: personId,
  completedOn: calendarDay.describe('the day it was completed, YYYY-MM-DD; not after today (UTC)'),
  evidence: evidence.default(null),
});

export const importQuery = z.object({
  dryRun: z
    .stringbool()
    .default(false)
    .describe('true: check and show what would be recorded, write nothing'),
});

export const holdersQuery = pageQuery;

// Answers: what the store holds, instants as ISO 8601 text, days as YYYY-MM-DD.
export const qualificationView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  validityMonths: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  validHolders: z.number().int().describe('people whose latest completion is valid today'),
});

export const standingView = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('valid'),
    until: z.string().nullable().describe('the last day it is valid; null: for good'),
    completedOn: z.string(),
  }),
  z.object({
    status: z.literal('expired'),
    on: z.string().describe('the day it expired (the latest completion’s expiresOn)'),
    completedOn: z.string(),
  }),
  z.object({ status: z.literal('never') }),
]);

export const completionView = z.object({
  id: z.string(),
  person: z.string(),
  qualification: z.string(),
  completedOn: z.string(),
  expiresOn: z.string().nullable().describe('the first day it is no longer valid; null: never'),
  source: z.enum(COMPLETION_SOURCES),
  evidence: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export const holderView = z.object({
  person: z.string(),
  standing: standingView,
  latest: completionView,
});

export const personQualificationsView = z.object({
  person: z.string(),
  on: z.string().describe('the day the standings are for: today (UTC)'),
  items: z.array(
    z.object({
      qualification: z.object({
        id: z.string(),
        name: z.string(),
        validityMonths: z.number().int().nullable(),
      }),
      standing: standingView,
      completions: z.array(completionView).describe('newest first'),
    }),
  ),
});

export const IMPORT_OUTCOMES = ['new', 'recorded-already', 'invalid'] as const;

export const importView = z.object({
  dryRun: z.boolean(),
  /** Whether the new completions were recorded (all of them, in one transaction); never on a dry run. */
  written: z.boolean(),
  message: z.string(),
  counts: z.object({
    new: z.number().int(),
    recordedAlready: z.number().int().describe('recorded before with the same evidence: nothing to do'),
    invalid: z.number().int(),
  }),
  rows: z.array(
    z.object({
      row: z.number().int().describe('the line the row starts on; the header is row 1'),
      person: z.string().nullable(),
      qualification: z.string().nullable(),
      completedOn: z.string().nullable(),
      expiresOn: z.string().nullable().describe('when the completion expires (recorded or to be)'),
      evidence: z.string().nullable(),
      outcome: z.enum(IMPORT_OUTCOMES),
      /** `row 3, column completedOn: ...` */
      problems: z.array(z.string()),
    }),
  ),
});

export const showQualification = (
  q: Qualification,
  validHolders: number,
): z.infer<typeof qualificationView> => ({
  id: q.id,
  name: q.name,
  description: q.description,
  validityMonths: q.validityMonths,
  version: q.version,
  createdAt: q.createdAt.toISOString(),
  createdBy: q.createdBy,
  updatedAt: q.updatedAt.toISOString(),
  updatedBy: q.updatedBy,
  validHolders,
});

export const showStanding = (s: Standing): z.infer<typeof standingView> => {
  switch (s.status) {
    case 'valid':
      return { status: 'valid', until: s.until, completedOn: s.completedOn };
    case 'expired':
      return { status: 'expired', on: s.on, completedOn: s.completedOn };
    case 'never':
      return { status: 'never' };
  }
};

export const showCompletion = (c: Completion): z.infer<typeof completionView> => ({
  id: c.id,
  person: c.person,
  qualification: c.qualification,
  completedOn: c.completedOn,
  expiresOn: c.expiresOn,
  source: c.source,
  evidence: c.evidence,
  recordedBy: c.recordedBy,
  recordedAt: c.recordedAt.toISOString(),
});

export const showPersonQualifications = (
  person: string,
  on: string,
  items: readonly PersonQualification[],
): z.infer<typeof personQualificationsView> => ({
  person,
  on,
  items: items.map((item) => ({
    qualification: { ...item.qualification },
    standing: showStanding(item.standing),
    completions: item.completions.map(showCompletion),
  })),
});

// The request and answer shapes of /v1/directory, and how stored directory facts are shown.
// People are e-mail addresses (as in policies/shared/org.world.json); groups are short slugs.
import { z } from 'zod';
import type { Absence, Delegation, DirectoryQueries } from '../../store/directory-queries.js';
import type { Person } from '../../store/directory.js';
import { MAX_SEARCH_RESULTS } from '../../store/directory-search.js';
import { invalidRequest } from '../errors.js';
import { pageQuery } from '../paging.js';

/**
 * What `format: email` (RFC 5321) allows and zod's z.email() alone does not refuse: at most 64
 * characters before the @, domain labels of at most 63 not ending in "-". The OpenAPI document
 * promises the format; a value a mail server would refuse must not become a person's id.
 */
export const mailboxLimits = (address: string): boolean => {
  const at = address.lastIndexOf('@');
  return (
    at <= 64 &&
    address
      .slice(at + 1)
      .split('.')
      .every((label) => label.length <= 63 && !label.endsWith('-'))
  );
};
export const MAILBOX_MESSAGE =
  'expected an e-mail address: at most 64 characters before the @, domain labels of at most 63 not ending in "-"';

export const personId = z.email().max(254).refine(mailboxLimits, MAILBOX_MESSAGE);
export const groupId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'expected a group id of letters, digits, ".", "_" or "-"');

const ISO_HINT = 'expected an ISO 8601 instant with offset (2027-03-01T09:00:00Z) or a date (2027-03-01)';
const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

/** An ISO 8601 instant or calendar date (midnight UTC), as a Date. */
export const instant = z
  .string()
  .max(40)
  .refine((s) => isoDateTime.safeParse(s).success || isoDate.safeParse(s).success, ISO_HINT)
  .transform((s) => new Date(isoDate.safeParse(s).success ? `${s}T00:00:00Z` : s));

/** One year after `start`, by the calendar (a leap day counts). */
export const oneYearAfter = (start: Date): Date => {
  const end = new Date(start.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end;
};

/**
 * The problems of a date range: it ends after it starts, lasts at most a year, and is not over
 * yet (a range in the past would be stored and never act). Paths name the field to fix.
 */
export function rangeProblems(
  range: { start: Date; end: Date },
  keys: { start: string; end: string },
  now: Date,
): { path: string; message: string }[] {
  if (range.end.getTime() <= range.start.getTime()) {
    return [{ path: `body.${keys.end}`, message: `must be after ${keys.start}` }];
  }
  if (range.end.getTime() > oneYearAfter(range.start).getTime()) {
    return [{ path: `body.${keys.end}`, message: `must be at most one year after ${keys.start}` }];
  }
  if (range.end.getTime() <= now.getTime()) {
    return [{ path: `body.${keys.end}`, message: 'is in the past: the range would never apply' }];
  }
  return [];
}

/** Fails with 422 at `path.<i>` for every id that names nobody active in the directory. */
export async function requireActivePeople(
  queries: DirectoryQueries,
  ids: readonly string[],
  path: (index: number) => string,
): Promise<void> {
  const missing = new Set(await queries.notActiveAmong(ids));
  const problems = ids.flatMap((id, index) =>
    missing.has(id) ? [{ path: path(index), message: `${id} is not a known, active person` }] : [],
  );
  if (problems.length > 0) throw invalidRequest(problems);
}

/**
 * The list of people, or a search when `q` is given: the first matches by id (at most
 * MAX_SEARCH_RESULTS), in one answer without a next page, so a cursor does not go with it.
 */
export const peopleQuery = pageQuery
  .extend({
    q: z
      .string()
      .trim()
      .min(1, 'type at least one character')
      .max(100)
      .optional()
      .describe(
        `search: active people whose id, name or a word of the name starts with this (case and accents ignored), by id, at most ${MAX_SEARCH_RESULTS}`,
      ),
  })
  .superRefine((query, ctx) => {
    if (query.q !== undefined && query.cursor !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['cursor'],
        message: 'a search answers in one page: no cursor with q',
      });
    }
  });

export const absenceView = z.object({
  from: z.string(),
  to: z.string(),
  delegate: z.string().nullable(),
});
export const personSummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  manager: z.string().nullable(),
  active: z.boolean(),
});
export const personView = personSummary.extend({
  groups: z.array(z.string()),
  outOfOffice: absenceView.nullable(),
});
export const groupView = z.object({ id: z.string(), members: z.array(z.string()) });
export const delegationView = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  start: z.string(),
  end: z.string(),
});

export const showPerson = (p: Person): z.infer<typeof personSummary> => ({
  id: p._id,
  name: p.name,
  manager: p.manager,
  active: p.active,
});

export const showAbsence = (a: Absence): z.infer<typeof absenceView> => ({
  from: a.from.toISOString(),
  to: a.to.toISOString(),
  delegate: a.delegate,
});

export const showDelegation = (d: Delegation): z.infer<typeof delegationView> => ({
  id: d._id,
  from: d.from,
  to: d.to,
  start: d.start.toISOString(),
  end: d.end.toISOString(),
});

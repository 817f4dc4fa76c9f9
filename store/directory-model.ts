// The directory's documents as stored (people, groups, absences, delegations) and the answer of a
// resolve: the shapes directory.ts and directory-resolution.ts share, kept apart so that neither
// imports the other.
import { z } from 'zod';
import type { PersonRef, ResolveProblem } from '../engine/machine/index.js';
import { validDate } from './documents.js';

export const personSchema = z.object({
  _id: z.string(),
  name: z.string().nullable(),
  manager: z.string().nullable(),
  active: z.boolean(),
});
export const groupSchema = z.object({ _id: z.string(), members: z.array(z.string()) });
export const absenceSchema = z.object({
  _id: z.string(),
  from: validDate,
  to: validDate,
  delegate: z.string().nullable(),
});
export const delegationSchema = z.object({
  _id: z.string(),
  from: z.string(),
  to: z.string(),
  start: validDate,
  end: validDate,
});

export type Person = z.infer<typeof personSchema>;
export type Group = z.infer<typeof groupSchema>;
export type AbsenceDoc = z.infer<typeof absenceSchema>;
/** `kind: 'absence'`: the stand-in an absence names, kept by setOutOfOffice (not a listed delegation). */
export type DelegationDoc = z.infer<typeof delegationSchema> & { parties: string[]; kind?: 'absence' };

export interface Resolution {
  people: string[];
  problems: { ref: PersonRef; problem: ResolveProblem }[];
  /** Absent people replaced by their delegates, so the audit can say why someone else decides. */
  substitutions: { person: string; delegate: string }[];
}

// A project as the store keeps it (store/projects.ts): its fields, the checks they pass before any
// write, the documents of a project and of one change to it, and the store's errors. Kept apart
// from the queries so that each file holds one concept.
import { z } from 'zod';
import { isoDay, validDate } from './documents.js';

/** The settings document that holds the PMO's phase list. */
export const PHASES_ID = 'phases';

export const HEALTH = ['green', 'amber', 'red'] as const;
export type Health = (typeof HEALTH)[number];

export const DEFAULT_PHASES: readonly string[] = [
  'initiation',
  'planning',
  'build',
  'test',
  'deploy',
  'closed',
];

export interface ProjectFields {
  name: string;
  phase: string;
  manager: string | null;
  sponsor: string | null;
  /** Exact decimal text and an ISO currency, e.g. { amount: '250000.00', currency: 'EUR' }. */
  budget: { amount: string; currency: string } | null;
  /** YYYY-MM-DD */
  start: string | null;
  end: string | null;
  health: { status: Health; reason: string | null };
  tags: string[];
}

export interface Project extends ProjectFields {
  code: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

export interface ProjectChange {
  code: string;
  version: number;
  at: Date;
  by: string;
  changes: { field: keyof ProjectFields; from: unknown; to: unknown }[];
}

export class ProjectExistsError extends Error {
  override name = 'ProjectExistsError';

  constructor(readonly code: string) {
    super(`project \`${code}\` already exists`);
  }
}

export class ProjectNotFoundError extends Error {
  override name = 'ProjectNotFoundError';

  constructor(readonly code: string) {
    super(`no project \`${code}\``);
  }
}

/** The project is at another version than the one the change was made on. */
export class ProjectVersionConflictError extends Error {
  override name = 'ProjectVersionConflictError';

  constructor(
    readonly code: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`project \`${code}\` is at version ${actual}, not ${expected}`);
  }
}

/** The fields in the order a history entry lists them. */
export const FIELD_ORDER: readonly (keyof ProjectFields)[] = [
  'name',
  'phase',
  'manager',
  'sponsor',
  'budget',
  'start',
  'end',
  'health',
  'tags',
];

export const fieldsShape = {
  name: z.string().min(1),
  phase: z.string().min(1),
  manager: z.string().min(1).nullable(),
  sponsor: z.string().min(1).nullable(),
  budget: z
    .object({
      amount: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'expected a decimal amount such as 250000.00'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'),
    })
    .nullable(),
  start: isoDay.nullable(),
  end: isoDay.nullable(),
  health: z.object({ status: z.enum(HEALTH), reason: z.string().nullable() }),
  tags: z.array(z.string().min(1)),
};
export const fieldsSchema = z.object(fieldsShape);
export const patchSchema = z.object(fieldsShape).partial();

export const projectDocSchema = z.object({
  _id: z.string(),
  ...fieldsShape,
  version: z.number().int().min(1),
  createdAt: validDate,
  updatedAt: validDate,
  updatedBy: z.string(),
});
export type ProjectDoc = z.infer<typeof projectDocSchema>;

export const changeDocSchema = z.object({
  _id: z.string(),
  code: z.string(),
  version: z.number().int().min(1),
  at: validDate,
  by: z.string(),
  changes: z.array(z.object({ field: z.enum(FIELD_ORDER), from: z.unknown(), to: z.unknown() })),
});
export type ChangeDoc = z.infer<typeof changeDocSchema>;

export const settingsSchema = z.object({ _id: z.literal(PHASES_ID), phases: z.array(z.string()).min(1) });

/** Fields as given by a caller, checked and in schema order; RangeError naming the bad field. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  throw new RangeError(`${what}: ${path}: ${issue?.message ?? 'invalid'}`);
}

/** A tag listed twice would be one tag shown twice and one project met twice on the tag index. */
export const withUniqueTags = <T extends { tags?: string[] | undefined }>(fields: T): T =>
  fields.tags === undefined ? fields : { ...fields, tags: [...new Set(fields.tags)] };

/** Field values are plain JSON in schema order (zod output), so equal values print equally. */
export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// A project as the store keeps it (store/projects.ts): its fields, the checks they pass before any
// write, the documents of a project and of one change to it, and the store's errors. Kept apart
// from the queries so that each file holds one concept.
import { z } from 'zod';
import { isoDay, parseDoc, validDate } from './documents.js';

/** The collections of the portfolio (store/projects.ts declares their indexes). */
export const PROJECTS = 'projects';
export const CHANGES = 'project_changes';
export const SETTINGS = 'portfolio_settings';

/** The settings document that holds the PMO's phase list. */
export const PHASES_ID = 'phases';

/** The settings document of how instances name projects (`requireKnownProject`). */
export const LINKING_ID = 'linking';

export interface LinkingSettings {
  /** Refuse an instance start whose input `project` is no open project's code. */
  requireKnownProject: boolean;
}

/** Off until the PMO turns it on: installations that had free-text projects keep starting instances. */
export const DEFAULT_LINKING: LinkingSettings = { requireKnownProject: false };

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

/** Some fields of a project; a key left out or undefined is no change. */
export type FieldsPatch = { [K in keyof ProjectFields]?: ProjectFields[K] | undefined };

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

/** A stored project document as the store answers it (zod on read). */
export const toProject = (raw: unknown): Project => {
  const d = parseDoc(projectDocSchema, raw, PROJECTS);
  return {
    code: d._id,
    name: d.name,
    phase: d.phase,
    manager: d.manager,
    sponsor: d.sponsor,
    budget: d.budget,
    start: d.start,
    end: d.end,
    health: d.health,
    tags: d.tags,
    version: d.version,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    updatedBy: d.updatedBy,
  };
};

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
export const linkingSchema = z.object({ _id: z.literal(LINKING_ID), requireKnownProject: z.boolean() });

/** The history entry of `version` (`_id` = `<code>:<version>`). */
export const changeDocOf = (
  code: string,
  version: number,
  at: Date,
  by: string,
  changes: ProjectChange['changes'],
): ChangeDoc => ({ _id: `${code}:${version}`, code, version, at, by, changes });

/** The history entry of a new project: every field, as a change from null. */
export const creationChanges = (fields: ProjectFields): ProjectChange['changes'] =>
  FIELD_ORDER.map((field) => ({ field, from: null, to: fields[field] }));

/**
 * What `patch` changes of `current`, in field order: the history entry's changes and the `$set`
 * that makes them. Fields the patch leaves out or gives as they are stored are no change.
 */
export function changesOf(
  current: ProjectFields,
  patch: FieldsPatch,
): { changes: ProjectChange['changes']; set: Partial<ProjectFields> } {
  const changes: ProjectChange['changes'] = [];
  const set: Partial<ProjectFields> = {};
  for (const field of FIELD_ORDER) {
    const to = patch[field];
    if (to === undefined || sameValue(current[field], to)) continue;
    changes.push({ field, from: current[field], to });
    Object.assign(set, { [field]: to });
  }
  return { changes, set };
}

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

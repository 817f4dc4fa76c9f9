// Projects as records (issue 16, the portfolio): one document per project (`projects`, `_id` = the
// project's code), its change history (`project_changes`, one document per version), and the
// PMO's settings (`portfolio_settings`: `_id` = `phases`, the phase list; `_id` = `linking`,
// whether instance starts must name a known project). A CSV import's rows are written together in
// one transaction (project-import.ts); the project texts of instances are matched to codes in
// project-links.ts.
//
// Invariants and what guards them:
// - A code names one project: the unique `_id`; a second create gets ProjectExistsError.
// - Versions count up by one and are never skipped or taken twice: an update reads the project,
//   works out what changes, then writes with `{_id, version: read}` in the filter and `version + 1`
//   in the update. Of two writers that read the same version exactly one matches; the other sees
//   ProjectVersionConflictError (it named a version) or reads again (it named none).
// - The history holds one entry per version, written by whoever took that version: `_id` =
//   `<code>:<version>`, inserted after the update that took it, a duplicate key being the same
//   writer's retry. Written after, not before: an entry written first by a writer that then loses
//   the update would describe a change that never happened. A crash between the two leaves that
//   version without its entry (the project itself is right); closing that gap needs a transaction.
// - A patch that changes nothing writes nothing: no new version, no history entry.
// - What is stored is what zod reads back: fields are parsed on write as on read, so a document
//   this module wrote never fails its own read.
//
// Reads: by code (`_id`); the portfolio list by code, one filter by equality served by an index
// ending in `_id` (key-range paging, paging.ts); a project's history newest first on (code,
// version). First pages with one equality are left to the planner (`unhintedFirstPage`: on
// SecantusDB 0.7 a hinted find walks the whole index); an empty filter or several equalities would
// be planned as a collection scan and a sort there, so those, and every later page (the cursor's
// `$and`), name their index.
import type { Collection, Db, Document, Filter } from 'mongodb';
import { z } from 'zod';
import { inTransaction, isDuplicateKey, parseDoc } from './documents.js';
import type { CollectionSpec } from './manifest.js';
import {
  CHANGES,
  type ChangeDoc,
  changeDocOf,
  changeDocSchema,
  changesOf,
  checked,
  creationChanges,
  DEFAULT_LINKING,
  DEFAULT_PHASES,
  fieldsSchema,
  type Health,
  LINKING_ID,
  type LinkingSettings,
  linkingSchema,
  patchSchema,
  PHASES_ID,
  type Project,
  type ProjectChange,
  type ProjectDoc,
  ProjectExistsError,
  type ProjectFields,
  ProjectNotFoundError,
  PROJECTS,
  ProjectVersionConflictError,
  SETTINGS,
  settingsSchema,
  toProject,
  withUniqueTags,
} from './project-model.js';
import { applyImport, type ImportWrite } from './project-import.js';
import {
  projectCodes,
  type ProjectCode,
  unlinkedProjectTexts,
  type UnlinkedProjects,
} from './project-links.js';
import { findPage, type SortField } from './paging.js';

export {
  DEFAULT_LINKING,
  DEFAULT_PHASES,
  HEALTH,
  ProjectExistsError,
  ProjectNotFoundError,
  ProjectVersionConflictError,
} from './project-model.js';
export type { Health, LinkingSettings, Project, ProjectChange, ProjectFields } from './project-model.js';
export type { ImportWrite } from './project-import.js';
export type { ProjectCode, UnlinkedProject, UnlinkedProjects } from './project-links.js';

/** Codes read in one `_id` `$in` (getMany): small enough for any server, large enough to be few queries. */
const CODES_PER_QUERY = 500;

/** Index names, as the manifest below declares them and the queries hint them. */
const INDEX = {
  code: '_id_',
  phase: 'projects_by_phase',
  health: 'projects_by_health',
  manager: 'projects_by_manager',
  tag: 'projects_by_tag',
  history: 'project_changes_by_version',
} as const;

/** An update that keeps losing to other writers (expected version null) gives up after this many reads. */
const MAX_ATTEMPTS = 50;

const toChange = (raw: Document): ProjectChange => {
  const { code, version, at, by, changes } = parseDoc(changeDocSchema, raw, CHANGES);
  return { code, version, at, by, changes: changes.map(({ field, from, to }) => ({ field, from, to })) };
};

/** The portfolio list: by code. `_id` alone, so one cursor shape serves every filter. */
const BY_CODE: readonly SortField[] = [{ field: '_id', order: 1 }];
const NEWEST_FIRST: readonly SortField[] = [
  { field: 'version', order: -1 },
  { field: '_id', order: -1 },
];

export type ProjectFilter = { phase?: string; health?: Health; manager?: string; tag?: string };

/**
 * The stored filter and the index that serves it. With several filters the index is the first of
 * manager, tag, phase, health that is given (likely the most selective); the others are checked on
 * the documents it finds.
 */
function listQuery(filter: ProjectFilter): { filter: Filter<Document>; hint: string; single: boolean } {
  const stored: Filter<Document> = {};
  if (filter.phase !== undefined) stored['phase'] = filter.phase;
  if (filter.health !== undefined) stored['health.status'] = filter.health;
  if (filter.manager !== undefined) stored['manager'] = filter.manager;
  if (filter.tag !== undefined) stored['tags'] = filter.tag;
  const hint =
    filter.manager !== undefined
      ? INDEX.manager
      : filter.tag !== undefined
        ? INDEX.tag
        : filter.phase !== undefined
          ? INDEX.phase
          : filter.health !== undefined
            ? INDEX.health
            : INDEX.code;
  return { filter: stored, hint, single: Object.keys(stored).length === 1 };
}

export class ProjectStore {
  private readonly projects: Collection<ProjectDoc>;
  private readonly changes: Collection<ChangeDoc>;
  private readonly settings: Collection<{ _id: string }>;

  constructor(private readonly db: Db) {
    this.projects = db.collection<ProjectDoc>(PROJECTS);
    this.changes = db.collection<ChangeDoc>(CHANGES);
    this.settings = db.collection<{ _id: string }>(SETTINGS);
  }

  /** version 1; history entry version 1 with every field as a change from null. Duplicate code: ProjectExistsError. */
  async create(code: string, fields: ProjectFields, by: string, at: Date): Promise<Project> {
    const valid = withUniqueTags(checked(fieldsSchema, fields, `project ${code}`));
    const doc: ProjectDoc = { _id: code, ...valid, version: 1, createdAt: at, updatedAt: at, updatedBy: by };
    try {
      // The project and its first history entry together, or neither.
      await inTransaction(this.db, async (session) => {
        await this.projects.insertOne(doc, { session });
        await this.changes.insertOne(changeDocOf(code, 1, at, by, creationChanges(valid)), { session });
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ProjectExistsError(code);
      throw error;
    }
    return toProject(doc);
  }

  /**
   * Applies `patch` when the stored version is `expectedVersion` (null: whatever it is), in one
   * conditional update (version +1); writes the history entry `_id` = `<code>:<version>` (insert;
   * a duplicate key is a retry: ignore). A patch that changes nothing returns the project unchanged
   * (no new version). Unknown code: ProjectNotFoundError; other version: ProjectVersionConflictError.
   */
  async update(
    code: string,
    patch: Partial<ProjectFields>,
    expectedVersion: number | null,
    by: string,
    at: Date,
  ): Promise<Project> {
    const given = withUniqueTags(checked(patchSchema, patch, `project ${code}`));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(code);
      if (current === null) throw new ProjectNotFoundError(code);
      if (expectedVersion !== null && current.version !== expectedVersion) {
        throw new ProjectVersionConflictError(code, expectedVersion, current.version);
      }
      const { changes, set } = changesOf(current, given);
      if (changes.length === 0) return current;

      const version = current.version + 1;
      // The new version and its history entry in one transaction: a crash between them would
      // leave a version that no entry explains.
      const updated = await inTransaction(this.db, async (session) => {
        const after = await this.projects.findOneAndUpdate(
          { _id: code, version: current.version },
          { $set: { ...set, version, updatedAt: at, updatedBy: by } },
          { returnDocument: 'after', session },
        );
        if (after !== null)
          await this.changes.insertOne(changeDocOf(code, version, at, by, changes), { session });
        return after;
      });
      // Another writer took this version between the read and the write: the next read says whether
      // the project went away, moved past the expected version, or (no version named) can be patched again.
      if (updated === null) continue;
      return toProject(updated);
    }
    throw new Error(`project ${code}: no update after ${MAX_ATTEMPTS} attempts against other writers`);
  }

  async get(code: string): Promise<Project | null> {
    const raw = await this.projects.findOne({ _id: code });
    return raw === null ? null : toProject(raw);
  }

  /** The projects of `codes` that exist, by code: reads by the `_id` list alone (no other field beside the `$in`). */
  async getMany(codes: readonly string[]): Promise<Map<string, Project>> {
    const unique = [...new Set(codes)];
    const found = new Map<string, Project>();
    for (let i = 0; i < unique.length; i += CODES_PER_QUERY) {
      const batch = unique.slice(i, i + CODES_PER_QUERY);
      for (const raw of await this.projects.find({ _id: { $in: batch } }).toArray()) {
        const project = toProject(raw);
        found.set(project.code, project);
      }
    }
    return found;
  }

  /**
   * Creates and patches projects all together or not at all (one transaction; project-import.ts):
   * a create of a code that exists by then fails with ProjectExistsError, a patch of a project
   * that moved past its expected version with ProjectVersionConflictError, and nothing is written.
   */
  async importAll(writes: readonly ImportWrite[], by: string, at: Date): Promise<Project[]> {
    const checkedWrites = writes.map((write): ImportWrite => {
      const what = `project ${write.code}`;
      return 'create' in write
        ? { code: write.code, create: withUniqueTags(checked(fieldsSchema, write.create, what)) }
        : { ...write, patch: withUniqueTags(checked(patchSchema, write.patch, what)) };
    });
    return applyImport(this.db, checkedWrites, by, at);
  }

  /** Every project's code and phase, at most `limit` of them (for "did you mean" and links). */
  codes(limit: number): Promise<ProjectCode[]> {
    return projectCodes(this.db, limit);
  }

  /** Project texts of instances that name no project's code, most instances first, at most `limit`. */
  unlinked(limit: number): Promise<UnlinkedProjects> {
    return unlinkedProjectTexts(this.db, limit);
  }

  /** By code, key-range paging (findPage); filters by equality: phase, health (health.status), manager, tag (array contains). */
  async page(
    filter: ProjectFilter,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: Project[]; nextCursor: string | null }> {
    const query = listQuery(filter);
    const page = await findPage(this.projects as unknown as Collection<Document>, {
      list: 'projects',
      filter: query.filter,
      sort: BY_CODE,
      ...(cursor === null ? {} : { after: cursor }),
      limit,
      parse: toProject,
      hint: query.hint,
      // Only a single equality is planned on its index unhinted; SecantusDB 0.7 scans the
      // collection and sorts for an empty filter or several equalities (the module's tests).
      ...(query.single ? { unhintedFirstPage: true as const } : {}),
    });
    return { items: page.items, nextCursor: page.next };
  }

  /** Newest version first. */
  async history(
    code: string,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: ProjectChange[]; nextCursor: string | null }> {
    const page = await findPage(this.changes as unknown as Collection<Document>, {
      list: 'project.history',
      filter: { code },
      sort: NEWEST_FIRST,
      ...(cursor === null ? {} : { after: cursor }),
      limit,
      parse: toChange,
      hint: INDEX.history,
      unhintedFirstPage: true,
    });
    return { items: page.items, nextCursor: page.next };
  }

  /** The PMO-defined phase list (a settings document); default ['initiation','planning','build','test','deploy','closed']. */
  async phases(): Promise<string[]> {
    const raw = await this.settings.findOne({ _id: PHASES_ID });
    return raw === null ? [...DEFAULT_PHASES] : parseDoc(settingsSchema, raw, SETTINGS).phases;
  }

  /** Replaces the phase list whole: at least one phase, each named once. */
  async setPhases(phases: readonly string[]): Promise<void> {
    const list = checked(z.array(z.string().min(1)).min(1), phases, 'phases');
    if (new Set(list).size !== list.length) throw new RangeError('phases: a phase is listed twice');
    await this.settings.updateOne({ _id: PHASES_ID }, { $set: { phases: list } }, { upsert: true });
  }

  /** How instances name projects; DEFAULT_LINKING until the PMO sets it. */
  async linking(): Promise<LinkingSettings> {
    const raw = await this.settings.findOne({ _id: LINKING_ID });
    if (raw === null) return { ...DEFAULT_LINKING };
    const { requireKnownProject } = parseDoc(linkingSchema, raw, SETTINGS);
    return { requireKnownProject };
  }

  async setLinking(settings: LinkingSettings): Promise<void> {
    const { requireKnownProject } = checked(linkingSchema.omit({ _id: true }), settings, 'linking');
    await this.settings.updateOne({ _id: LINKING_ID }, { $set: { requireKnownProject } }, { upsert: true });
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const projectCollections: CollectionSpec[] = [
  {
    name: PROJECTS,
    holds: 'one project (`_id` = its code): fields, version, who changed it last',
    shardKey: { _id: 'hashed' },
    // By code: one project (`_id`) and the unfiltered list (the `_id` index). Each filter of the
    // list has its own index ending in `_id`, so a filtered page comes out in code order.
    indexes: [
      {
        name: INDEX.phase,
        key: { phase: 1, _id: 1 },
        serves: 'the portfolio list by phase (ProjectStore.page)',
      },
      {
        name: INDEX.health,
        key: { 'health.status': 1, _id: 1 },
        serves: 'the portfolio list by health status (ProjectStore.page)',
      },
      {
        name: INDEX.manager,
        key: { manager: 1, _id: 1 },
        serves: 'the portfolio list by project manager (ProjectStore.page)',
      },
      {
        name: INDEX.tag,
        key: { tags: 1, _id: 1 },
        serves: 'the portfolio list by tag (ProjectStore.page), multikey on tags',
      },
    ],
  },
  {
    name: CHANGES,
    holds: "one version of a project's history (`_id` = `<code>:<version>`): who, when, which fields",
    shardKey: { code: 'hashed' },
    indexes: [
      {
        name: INDEX.history,
        key: { code: 1, version: -1, _id: -1 },
        serves: "a project's history, newest version first (ProjectStore.history)",
      },
    ],
  },
  {
    name: SETTINGS,
    holds: 'one portfolio setting (`_id` = its name, e.g. `phases`)',
    shardKey: { _id: 'hashed' },
    // By `_id` only.
    indexes: [],
  },
];

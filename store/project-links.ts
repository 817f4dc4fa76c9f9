// How instances meet projects: an instance keeps the `project` text it was started with
// (store/instances.ts), which may or may not be a project's code. Read-only queries over the
// instance views and the projects, no collection of their own:
// - the project texts that name no project (the PMO creates projects from them), each with how
//   many instances name it and the newest start;
// - every project's code and phase, for "did you mean" answers and the console's links.
//
// The instance reads use the `by_project` index of `instance_views` (project, startedAt, _id;
// declared in store/instances.ts) without naming it: `distinct` of an indexed field and an equality
// `$in` are plans MongoDB makes on that index by itself (a DISTINCT_SCAN, then index bounds per
// text), and on SecantusDB 0.7 a hint would walk the whole index. The project reads are by `_id`
// alone. Round trips: one `distinct`, one `_id` read and one aggregation per 500 texts.
import type { Db, Document } from 'mongodb';
import { z } from 'zod';
import { parseDoc } from './documents.js';
import { PROJECTS } from './project-model.js';

/** The instance views' collection (store/instances.ts). */
const VIEWS = 'instance_views';

/** Texts per `$in`: small enough for any server's query size, large enough to be few queries. */
const TEXTS_PER_QUERY = 500;

export interface UnlinkedProject {
  /** The text instances carry as their project. */
  text: string;
  /** How many instances carry it. */
  instances: number;
  newestStart: Date;
}

export interface UnlinkedProjects {
  /** Most instances first, then the newest start, then the text. */
  items: UnlinkedProject[];
  /** How many texts name no project, all told (more than `items` when the list was cut). */
  total: number;
}

export interface ProjectCode {
  code: string;
  phase: string;
}

const countSchema = z.object({ _id: z.string(), instances: z.number().int(), newestStart: z.date() });
const codeSchema = z.object({ _id: z.string(), phase: z.string() });

const batches = <T>(list: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += TEXTS_PER_QUERY) out.push(list.slice(i, i + TEXTS_PER_QUERY));
  return out;
};

/** The texts among `texts` that are a project's code. */
async function codesAmong(db: Db, texts: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (const batch of batches(texts)) {
    const found = await db
      .collection<{ _id: string }>(PROJECTS)
      .find({ _id: { $in: batch } }, { projection: { _id: 1 } })
      .toArray();
    for (const doc of found) known.add(doc._id);
  }
  return known;
}

/** Project texts that name no project: each with its instance count and newest start; at most `limit`. */
export async function unlinkedProjectTexts(db: Db, limit: number): Promise<UnlinkedProjects> {
  const views = db.collection<Document>(VIEWS);
  const texts = (await views.distinct('project')).filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const known = await codesAmong(db, texts);
  const unlinked = texts.filter((text) => !known.has(text));
  const items: UnlinkedProject[] = [];
  for (const batch of batches(unlinked)) {
    const groups = await views
      .aggregate([
        { $match: { project: { $in: batch } } },
        { $group: { _id: '$project', instances: { $sum: 1 }, newestStart: { $max: '$startedAt' } } },
      ])
      .toArray();
    for (const raw of groups) {
      const { _id, instances, newestStart } = parseDoc(countSchema, raw, VIEWS);
      items.push({ text: _id, instances, newestStart });
    }
  }
  items.sort(
    (a, b) =>
      b.instances - a.instances ||
      b.newestStart.getTime() - a.newestStart.getTime() ||
      (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );
  return { items: items.slice(0, limit), total: items.length };
}

/** Every project's code and phase, by code, at most `limit` (the portfolio is the PMO's list: hundreds, not millions). */
export async function projectCodes(db: Db, limit: number): Promise<ProjectCode[]> {
  // Unfiltered and unhinted: the whole collection is wanted, and on SecantusDB a hint of `_id_`
  // walks the whole index; sorted here rather than by the server.
  const docs = await db
    .collection<{ _id: string }>(PROJECTS)
    .find({}, { projection: { _id: 1, phase: 1 }, limit })
    .toArray();
  return docs
    .map((raw) => parseDoc(codeSchema, raw, PROJECTS))
    .map(({ _id, phase }) => ({ code: _id, phase }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

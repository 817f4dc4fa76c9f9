// What the instance screen reads from /v1, and the answer shapes it works with: the instance (where
// it stands and its timeline), its process graph with each step's state, the caller's open tasks on
// it, and the policy version's source texts for the excerpts behind the timeline's line links.
import { api, type paths, unwrap } from '../../api-client/client.js';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type InstanceDetail = Json<'/v1/instances/{id}', 'get'>;
export type InstanceGraph = Json<'/v1/instances/{id}/graph', 'get'>;
export type GraphNode = InstanceGraph['graph']['nodes'][number];
export type GraphEdge = InstanceGraph['graph']['edges'][number];
export type StepState = GraphNode['state'];
export type TimelineEvent = InstanceDetail['timeline'][number];
export type Reason = TimelineEvent['reasons'][number];
export type BlockedOn = InstanceDetail['blockedOn'][number];
export type Task = Json<'/v1/instances/{id}/tasks', 'get'>['items'][number];
export type TaskComment = Json<'/v1/tasks/{id}/comments', 'get'>['items'][number];
type PolicyVersion = Json<'/v1/policies/{name}/versions/{version}', 'get'>;

/** A place in a policy's sources, as the engine records it (`file` indexes the version's sources). */
export interface SourceSpan {
  file: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export const readInstance = (id: string): Promise<InstanceDetail> =>
  unwrap(api.GET('/v1/instances/{id}', { params: { path: { id } } }));

export const readGraph = (id: string): Promise<InstanceGraph> =>
  unwrap(api.GET('/v1/instances/{id}/graph', { params: { path: { id } } }));

/** Every task of the instance, open and closed, as anyone who may see the instance sees them. */
export const readTasks = async (instanceId: string): Promise<Task[]> =>
  (await unwrap(api.GET('/v1/instances/{id}/tasks', { params: { path: { id: instanceId } } }))).items;

export const readComments = async (taskId: string): Promise<TaskComment[]> =>
  (
    await unwrap(
      api.GET('/v1/tasks/{id}/comments', { params: { path: { id: taskId }, query: { limit: 500 } } }),
    )
  ).items;

export interface PolicySources {
  sources: { path: string; text: string }[];
  /** The file each process is written in, by process name (graph lines count in that file). */
  processFile: Map<string, number>;
}

/** Published versions never change: one read per version for the whole visit. */
const versions = new Map<string, Promise<PolicySources>>();

export function readPolicySources(name: string, version: number): Promise<PolicySources> {
  const key = `${name}@${version}`;
  let read = versions.get(key);
  if (read === undefined) {
    read = unwrap(
      api.GET('/v1/policies/{name}/versions/{version}', { params: { path: { name, version } } }),
    ).then(sourcesOf);
    // A failed read is not kept: the next click asks again.
    read.catch(() => versions.delete(key));
    versions.set(key, read);
  }
  return read;
}

function sourcesOf(version: PolicyVersion): PolicySources {
  const processFile = new Map<string, number>();
  const processes = (version.ir as { processes?: unknown }).processes;
  if (Array.isArray(processes)) {
    for (const process of processes as unknown[]) {
      const { name, span } = (process ?? {}) as { name?: unknown; span?: unknown };
      const at = spanOf(span);
      if (typeof name === 'string' && at !== null) processFile.set(name, at.file);
    }
  }
  return { sources: version.sources.map(({ path, text }) => ({ path, text })), processFile };
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** The span `value` is, if it has the engine's span shape (reasons carry one; other data may not). */
export function spanOf(value: unknown): SourceSpan | null {
  if (typeof value !== 'object' || value === null) return null;
  const { file, line, col, endLine, endCol } = value as Record<string, unknown>;
  if (!isCount(file) || !isCount(line) || !isCount(col) || !isCount(endLine) || !isCount(endCol)) return null;
  if (line < 1 || endLine < line) return null;
  return { file, line, col, endLine, endCol };
}

/** The span an event carries itself, when the API sends one (the ledger records one per event). */
export const eventSpan = (event: TimelineEvent): SourceSpan | null =>
  spanOf((event as TimelineEvent & { span?: unknown }).span);

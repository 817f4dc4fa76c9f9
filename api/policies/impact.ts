// `POST /v1/policies/{name}/impact`: before publishing a new version, what it would have changed.
// The last N finished instances of the version in force (or `baseVersion`) are replayed, with the
// acts their ledgers recorded, through that version and through the uploaded candidate
// (engine/simulate impactOf); the answer lists instance by instance which outcomes, approvers,
// deadlines and escalations differ, and who the candidate would still wait for.
//
// Reads, for N instances: the views of the policy newest first (pages of 500 on the `by_policy`
// index, filtered in code to the base version's finished ones), their facts in one key-range query
// by policy and version from the oldest start on (pages of 500 on `policy_at`), and the directory
// as it is now, asked only for the references the replays could not answer, a few rounds at most.
import { z } from 'zod';
import type { Fact } from '../../engine/facts/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import type { PersonRef } from '../../engine/machine/index.js';
import {
  EMPTY_WORLD,
  impactOf,
  type ImpactReport,
  type PastInstance,
  type World,
} from '../../engine/simulate/index.js';
import type { InstanceView, Store } from '../../store/index.js';
import type { ApiDeps } from '../deps.js';
import { ApiError, notFound } from '../errors.js';
import { route, json, type RouteSpec } from '../route.js';
import { compileUpload, diagnosticSchema, type Upload, uploadSchema } from './compile.js';
import { impactSchema, instanceImpactJson } from './impact-json.js';

export const DEFAULT_LAST = 200;
const MAX_LAST = 2000;
const PAGE = 500;
/** Chains per read of their events (a few hundred events each at most). */
const CHAINS_PER_READ = 100;
/** Views read at most (newest first) looking for the base version's finished instances. */
const MAX_VIEWS_SCANNED = 20_000;
/** Directory rounds: each answers what the replays could not resolve with what was known before. */
const MAX_DIRECTORY_ROUNDS = 4;

/** The upload's fields as publish and validate take them (checked by their schema), plus the replay's. */
export const impactBodySchema = z
  .strictObject({
    ...uploadSchema.shape,
    last: z.number().int().min(1).max(MAX_LAST).default(DEFAULT_LAST),
    baseVersion: z.number().int().positive().max(1_000_000_000).optional(),
  })
  .superRefine((body, ctx) => {
    const upload = uploadSchema.safeParse({ source: body.source, entry: body.entry, files: body.files });
    if (upload.success) return;
    for (const issue of upload.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export type ImpactBody = z.infer<typeof impactBodySchema>;

const uploadOf = ({ source, entry, files }: ImpactBody): Upload => ({
  ...(source === undefined ? {} : { source }),
  ...(entry === undefined ? {} : { entry }),
  ...(files === undefined ? {} : { files }),
});

export function impactRoutes(): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/policies/:name/impact',
      summary:
        'Replay the last N finished instances of the version in force through an uploaded candidate: what would differ, instance by instance (422 invalid-policy when it does not compile)',
      roles: ['author', 'pmo', 'admin'],
      params: z.object({ name: z.string().min(1).max(200) }),
      body: impactBodySchema,
      response: impactSchema.extend({ diagnostics: z.array(diagnosticSchema) }),
      handler: async ({ params, body, deps }) => json(await impactOfUpload(deps, params.name, body)),
    }),
  ];
}

/** The use case: compile, find the base, read the past, replay against the directory of now. */
async function impactOfUpload(deps: ApiDeps, name: string, body: ImpactBody) {
  const { compiled: candidate, warnings } = compileUpload(uploadOf(body));
  if (candidate.ir.policy.name !== name) {
    throw new ApiError(
      422,
      'invalid-request',
      `the upload is policy "${candidate.ir.policy.name}", not "${name}"`,
      [
        {
          path: body.source === undefined ? 'body.entry' : 'body.source',
          message: `declares policy "${candidate.ir.policy.name}"`,
        },
      ],
    );
  }
  const now = deps.now();
  const base = await baseOf(deps.store, name, body.baseVersion, now);
  const views = await finishedViews(deps.store, name, base.ir.policy.version, body.last);
  const facts = await factsOf(deps.store, views);
  const past = views.map((v) => pastOf(v, facts.get(v.instanceId) ?? []));
  const report = await withDirectory(deps.store, now, (world) => impactOf(base, candidate, world, past));
  return {
    policy: name,
    base: { version: base.ir.policy.version, sha256: base.sha256 },
    candidate: { version: candidate.ir.policy.version, sha256: candidate.sha256 },
    last: body.last,
    summary: report.summary,
    instances: report.instances.map((impact, i) => {
      const view = views[i] as InstanceView;
      return instanceImpactJson(impact, {
        startedAt: view.startedAt,
        endedAt: endOf(view, facts.get(view.instanceId) ?? []),
        status: view.status,
      });
    }),
    diagnostics: warnings,
  };
}

/** The version compared against: the one asked for, or the one in force now. */
async function baseOf(
  store: Store,
  name: string,
  version: number | undefined,
  now: Date,
): Promise<CompiledPolicy> {
  if (version !== undefined) {
    const compiled = await store.policies.compiled(name, version);
    if (!compiled) throw notFound(`policy "${name}" version ${version}`);
    return compiled;
  }
  const inForce = await store.policies.newestInEffect(name, now);
  if (inForce) return inForce.compiled;
  const why = await store.policies.whyNoneInForce(name, now);
  if (why === null || why.kind === 'unknown') throw notFound(`policy "${name}"`);
  throw new ApiError(
    409,
    'not-in-force',
    `no version of policy "${name}" is in force (${why.kind}): name one with baseVersion`,
    [{ path: 'body.baseVersion', message: 'required while no version is in force' }],
  );
}

/** The newest `last` finished instances of `version`, newest first. */
async function finishedViews(
  store: Store,
  name: string,
  version: number,
  last: number,
): Promise<InstanceView[]> {
  const found: InstanceView[] = [];
  let after: string | undefined;
  for (let scanned = 0; scanned < MAX_VIEWS_SCANNED && found.length < last; scanned += PAGE) {
    const page = await store.views.list(
      { policyName: name },
      { limit: PAGE, ...(after === undefined ? {} : { after }) },
    );
    for (const view of page.instances) {
      if (view.policy.version === version && view.status !== 'running' && found.length < last)
        found.push(view);
    }
    if (page.next === null) break;
    after = page.next;
  }
  return found;
}

/**
 * The facts of each instance's own chain, in chain order: the chains read by name, a batch at a
 * time. (A query by policy and version named its index, which SecantusDB walks whole: 40 s for
 * 2,000 instances in bench:impact, nearly all of it that read.)
 */
async function factsOf(
  store: Store,
  views: readonly InstanceView[],
): Promise<Map<string, { seq: number; at: number; fact: Fact }[]>> {
  const out = new Map<string, { seq: number; at: number; fact: Fact }[]>(
    views.map((v) => [v.instanceId, []]),
  );
  if (views.length === 0) return out;
  for (let i = 0; i < views.length; i += CHAINS_PER_READ) {
    const chains = views.slice(i, i + CHAINS_PER_READ).map((v) => v.instanceId);
    for (const event of await store.audit.eventsOfChains(chains)) {
      const facts = out.get(event.chain);
      if (facts !== undefined && event.fact !== undefined)
        facts.push({ seq: event.seq, at: event.at.getTime(), fact: event.fact });
    }
  }
  for (const facts of out.values()) facts.sort((a, b) => a.seq - b.seq);
  return out;
}

function pastOf(view: InstanceView, facts: readonly { at: number; fact: Fact }[]): PastInstance {
  return {
    instanceId: view.instanceId,
    process: view.process,
    // Views written before inputs were kept: the replay starts without them and says what is missing.
    input: view.input ?? {},
    startedAt: view.startedAt.getTime(),
    startedBy: view.startedBy,
    endedAt: endOf(view, facts).getTime(),
    facts,
  };
}

/** When the instance ended: its view's end, or its last fact's instant for a view without one. */
const endOf = (view: InstanceView, facts: readonly { at: number }[]): Date =>
  view.endedAt ?? new Date(Math.max(view.startedAt.getTime(), ...facts.map((f) => f.at)));

/**
 * Runs `replay` against the directory as it is now: first with nobody known, then again after each
 * round of looking up, in one batched resolve, the references the replays could not answer.
 */
async function withDirectory(
  store: Store,
  now: Date,
  replay: (world: World) => ImpactReport,
): Promise<ImpactReport> {
  const world: World = { ...EMPTY_WORLD, groups: {}, managers: {}, people: [], capacity: {} };
  const asked = new Set<string>();
  let report = replay(world);
  for (let round = 0; round < MAX_DIRECTORY_ROUNDS; round++) {
    const fresh = report.unresolved.filter((ref) => !asked.has(JSON.stringify(ref)));
    if (fresh.length === 0) break;
    for (const ref of fresh) asked.add(JSON.stringify(ref));
    const resolutions = await store.directory.resolveMany(
      fresh.map((ref) => [ref]),
      now,
    );
    fresh.forEach((ref, i) => learn(world, ref, resolutions[i]));
    report = replay(world);
  }
  return report;
}

/**
 * What one resolution tells the world. The simulator's world has no absences: a person away with a
 * stand-in is kept as themselves for a person or manager reference; a group holds its stand-ins.
 */
function learn(
  world: World,
  ref: PersonRef,
  resolution: { people: string[]; problems: { problem: string }[] } | undefined,
): void {
  if (resolution === undefined) return;
  const problem = resolution.problems[0]?.problem ?? null;
  switch (ref.kind) {
    case 'group':
      if (problem === null) world.groups[ref.group] = resolution.people;
      else if (problem === 'empty group') world.groups[ref.group] = [];
      break;
    case 'person':
      if (problem === null) world.people.push(ref.person);
      break;
    case 'managerOf': {
      const manager = resolution.people[0];
      if (problem === null && manager !== undefined) world.managers[ref.person] = manager;
      else if (problem === 'no manager') world.people.push(ref.person);
      break;
    }
  }
}

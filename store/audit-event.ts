// The audit ledger's event as stored in `audit_events` (one document per event): its fields, the
// hash over them and the link to its predecessor, the indexes the ledger's queries use, and the
// one rule that turns a filter into a query on one of them (shared by the ledger's pages and the
// reports' streams, so both are served by the same indexes).
import type { Document, Filter } from 'mongodb';
import { z } from 'zod';
import { FACT_KINDS, type Fact, type FactKind } from '../engine/facts/index.js';
import { canonicalJson, sha256Hex, type SourceSpan } from '../engine/ir/index.js';
import { hexDigest, policyRefSchema, spanSchema, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';

export const COLLECTION = 'audit_events';
export const HEADS = 'audit_heads';

/** The chain of an instance's refused attempts, beside the instance's own chain (named after it). */
export const refusedChainOf = (instanceId: string): string => `${instanceId}/refused`;

/** The `prevHash` of every chain's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  chain: string;
  /** 1-based and contiguous within the chain. */
  seq: number;
  /** Deterministic, e.g. `<instance>:<seq>`, so that a retried append finds its own earlier write. */
  id: string;
  at: Date;
  /** 'decision' | 'refused' | 'started' | 'ended' | ... */
  type: string;
  /** The instance the event is about; a refused chain's events carry their instance's id too. */
  instanceId: string;
  process: string;
  project: string | null;
  policy: { name: string; version: number; sha256: string };
  step: string | null;
  text: string;
  actor: string | null;
  onBehalfOf: string | null;
  outcome: string | null;
  reasons: { text: string; span: SourceSpan }[];
  span: SourceSpan | null;
  /**
   * On `started` events: the canonical hash of the instance's validated input, so that the chain
   * covers what was asked for. Absent (or null) elsewhere, and then not stored at all: an event
   * without it hashes exactly as events did before the field existed.
   */
  inputSha256?: string | null | undefined;
  /**
   * What the event establishes, as data (engine/facts): what reports and filters read. Absent on
   * events written before facts existed, and then not stored, so their hashes are unchanged.
   */
  fact?: Fact | undefined;
}

export interface AuditEvent extends AuditEventInput {
  prevHash: string;
  hash: string;
}

export type AuditProblem = 'hash mismatch' | 'broken link' | 'missing event' | 'unparseable';

export interface VerifyReport {
  ok: boolean;
  chains: number;
  events: number;
  /** The first problem in (chain, seq) order. `id` is null for an event that is not there. */
  firstProblem?: { chain: string; seq: number; id: string | null; problem: AuditProblem };
}

/** Equality filters, plus `from` (inclusive) and `to` (exclusive) on `at`. */
export interface AuditFilter {
  project?: string;
  policyName?: string;
  policyVersion?: number;
  process?: string;
  instanceId?: string;
  actor?: string;
  type?: string;
  outcome?: string;
  /** The kind of fact (`vote`, `checkFailed`, ...); events without a fact never match. */
  fact?: FactKind;
  step?: string;
  from?: Date;
  to?: Date;
}

/** The predecessor is not stored yet: retry once it is (activities retry by themselves). */
export class MissingLinkError extends Error {
  override name = 'MissingLinkError';

  constructor(
    readonly chain: string,
    readonly seq: number,
  ) {
    super(`audit chain ${chain}: cannot append seq ${seq} before seq ${seq - 1} is stored`);
  }
}

/** An id or a (chain, seq) slot is taken by an event with different content. */
export class AuditConflictError extends Error {
  override name = 'AuditConflictError';

  constructor(
    readonly id: string,
    detail: string,
  ) {
    super(`audit event ${id}: ${detail}; stored events are immutable`);
  }
}

/**
 * A fact is checked for its kind only: its fields are the engine's, and the hash covers them
 * whatever they are, so a fact edited by hand fails verification like any other field.
 */
const KNOWN_KINDS: ReadonlySet<string> = new Set(FACT_KINDS);
export const factSchema = z.custom<Fact>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    KNOWN_KINDS.has(String((value as { kind?: unknown }).kind)),
  { message: 'a fact needs a known kind' },
);

export const inputSchema = z.strictObject({
  chain: z.string().min(1),
  seq: z.number().int().min(1),
  id: z.string().min(1),
  at: validDate,
  type: z.string().min(1),
  instanceId: z.string(),
  process: z.string(),
  project: z.string().nullable(),
  // Strict, with a real digest: a field added by hand is tampering.
  policy: policyRefSchema.extend({ sha256: hexDigest }).strict(),
  step: z.string().nullable(),
  text: z.string(),
  actor: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  outcome: z.string().nullable(),
  reasons: z.array(z.strictObject({ text: z.string(), span: spanSchema })),
  span: spanSchema.nullable(),
  inputSha256: hexDigest.nullable().optional(),
  fact: factSchema.optional(),
});

// Strict: a field added by hand is tampering too, and the hash would not cover it. `inputSha256`
// is stored only when set, so a stored null is not something this code writes.
// `unsigned`: set when the event is appended, removed once the ledger's Merkle tree holds it
// (store/ledger-tree.ts); bookkeeping for the tree's one writer, outside the hash.
export const docSchema = inputSchema.omit({ id: true, inputSha256: true }).extend({
  _id: z.string(),
  inputSha256: hexDigest.optional(),
  prevHash: hexDigest,
  hash: hexDigest,
  unsigned: z.literal(true).optional(),
});

export type AuditDoc = z.infer<typeof docSchema>;

/**
 * The hash of an event: over the link and the canonical JSON of every other field. `at` enters
 * as its ISO string (canonical JSON has no dates); milliseconds are all a BSON date keeps anyway.
 * A field that is absent is not in the JSON, which is how `inputSha256` leaves older events' hashes alone.
 */
export function hashOf(doc: Omit<AuditDoc, 'hash'> & { hash?: string }): string {
  // `hash` is dropped explicitly: a stored document has one, and it cannot cover itself.
  // `unsigned` is the tree's bookkeeping, removed after the event is hashed into it.
  const { _id, at, hash, unsigned, ...rest } = doc;
  void hash;
  void unsigned;
  return sha256Hex(doc.prevHash + canonicalJson({ ...rest, id: _id, at: at.toISOString() }));
}

export function toDoc(event: AuditEventInput, prevHash: string): AuditDoc {
  const { id, inputSha256, fact, ...rest } = event;
  // Left out rather than stored as null: the driver would write an undefined field as null.
  const unhashed = {
    _id: id,
    ...rest,
    ...(inputSha256 == null ? {} : { inputSha256 }),
    ...(fact === undefined ? {} : { fact }),
    prevHash,
  };
  return { ...unhashed, hash: hashOf(unhashed), unsigned: true };
}

export function toEvent(doc: AuditDoc): AuditEvent {
  const { _id, inputSha256, fact, unsigned, ...rest } = doc;
  void unsigned;
  // Absent when not set, as stored: an export line then re-hashes exactly as the ledger did.
  return {
    id: _id,
    ...rest,
    ...(inputSha256 === undefined ? {} : { inputSha256 }),
    ...(fact === undefined ? {} : { fact }),
  };
}

/** Index names, as the finds hint them. */
export const INDEX = {
  chainSeq: 'chain_seq',
  instance: 'instance_at_seq',
  project: 'project_at_seq',
  actor: 'actor_at_seq',
  outcome: 'outcome_at_seq',
  fact: 'fact_at_seq',
  type: 'type_at_seq',
  policy: 'policy_at_seq',
  at: 'at_seq_id',
  unsigned: 'unsigned',
} as const;

/**
 * A query's equality fields, most selective first: the first the filter names picks the index
 * (its equality bound, then `at` as sort and range); the others are checked on the fetched
 * documents of that scan. An instance has tens of events; a project or a person thousands; an
 * outcome or a type is rarer than a policy, whose events are the most numerous.
 */
const SELECTIVITY: readonly [keyof AuditFilter, string, string][] = [
  ['instanceId', 'instanceId', INDEX.instance],
  ['project', 'project', INDEX.project],
  ['actor', 'actor', INDEX.actor],
  ['outcome', 'outcome', INDEX.outcome],
  ['fact', 'fact.kind', INDEX.fact],
  ['type', 'type', INDEX.type],
  ['policyName', 'policy.name', INDEX.policy],
];

/** The find of the events matching `filter` and the index it names (sort `at`, `seq`, `_id`). */
export function queryOf(filter: AuditFilter): { filter: Filter<Document>; hint: string } {
  const query: Filter<Document> = {};
  for (const [key, field] of SELECTIVITY) {
    if (filter[key] !== undefined) query[field] = filter[key];
  }
  if (filter.policyVersion !== undefined) query['policy.version'] = filter.policyVersion;
  if (filter.process !== undefined) query['process'] = filter.process;
  if (filter.step !== undefined) query['step'] = filter.step;
  if (filter.from !== undefined || filter.to !== undefined) {
    query['at'] = {
      ...(filter.from === undefined ? {} : { $gte: filter.from }),
      ...(filter.to === undefined ? {} : { $lt: filter.to }),
    };
  }
  const hint = SELECTIVITY.find(([key]) => filter[key] !== undefined)?.[2] ?? INDEX.at;
  return { filter: query, hint };
}

const byTime = (field: string, name: string, what: string) => ({
  name,
  key: { [field]: 1, at: 1, seq: 1, _id: 1 } as Record<string, 1>,
  serves: `audit events by ${what} in time order, with a period (AuditLedger.query, reports)`,
});

/** The ledger's collections (store/manifest.ts). */
export const auditCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: 'one audit event, hash-chained to its predecessor in its chain',
    // A chain's appends, verification and refusal sequencing name the chain: one shard each.
    shardKey: { chain: 'hashed' },
    // Before `seq` was in the time order: same-instant events of one chain sorted by id text, so
    // `:10` came before `:9` (an instance's end before the action that ended it).
    retiredIndexes: [
      'instance_at',
      'project_at',
      'actor_at',
      'outcome_at',
      'fact_at',
      'type_at',
      'policy_at',
      'at_id',
    ],
    indexes: [
      {
        name: INDEX.chainSeq,
        key: { chain: 1, seq: 1 },
        unique: true,
        // Prefixed by the shard key, so unique cluster-wide (a sharded `_id` is unique per shard only).
        serves: 'one event per (chain, seq): no forked chain; a chain in seq order (verify, refusals)',
      },
      byTime('instanceId', INDEX.instance, 'instance (its own and its refused chain)'),
      byTime('project', INDEX.project, 'project'),
      byTime('actor', INDEX.actor, 'actor'),
      byTime('outcome', INDEX.outcome, 'outcome'),
      byTime('fact.kind', INDEX.fact, 'kind of fact (votes, failed checks, timeouts)'),
      byTime('type', INDEX.type, 'type'),
      byTime('policy.name', INDEX.policy, 'policy'),
      {
        name: INDEX.at,
        key: { at: 1, seq: 1, _id: 1 },
        serves: 'every audit event in time order, with a period (AuditLedger.query without filters)',
      },
      {
        name: INDEX.unsigned,
        key: { unsigned: 1 },
        partialFilterExpression: { unsigned: true },
        serves: 'the events appended since the Merkle tree last grew (its signer takes them in batches)',
      },
    ],
  },
  {
    name: HEADS,
    holds: "one chain's highest appended seq (`_id` is the chain)",
    shardKey: { _id: 'hashed' },
    indexes: [],
  },
];

// The audit ledger's event as stored: its fields, the hash over them and the link, the cursor of
// a query and the filter, evaluated on one event.
import { z } from 'zod';
import { canonicalJson, sha256Hex, type SourceSpan } from '../engine/ir/index.js';
import { hexDigest, spanSchema, validDate } from './documents.js';

export const COLLECTION = 'audit';

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

export const inputSchema = z.strictObject({
  chain: z.string().min(1),
  seq: z.number().int().min(1),
  id: z.string().min(1),
  at: validDate,
  type: z.string().min(1),
  instanceId: z.string(),
  process: z.string(),
  project: z.string().nullable(),
  policy: z.strictObject({ name: z.string(), version: z.number(), sha256: hexDigest }),
  step: z.string().nullable(),
  text: z.string(),
  actor: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  outcome: z.string().nullable(),
  reasons: z.array(z.strictObject({ text: z.string(), span: spanSchema })),
  span: spanSchema.nullable(),
});

// Strict: a field added by hand is tampering too, and the hash would not cover it.
export const docSchema = inputSchema
  .omit({ id: true })
  .extend({ _id: z.string(), prevHash: hexDigest, hash: hexDigest });
export type AuditDoc = z.infer<typeof docSchema>;

/**
 * The hash of an event: over the link and the canonical JSON of every other field. `at` enters
 * as its ISO string (canonical JSON has no dates); milliseconds are all a BSON date keeps anyway.
 */
export function hashOf(doc: Omit<AuditDoc, 'hash'> & { hash?: string }): string {
  // `hash` is dropped explicitly: a stored document has one, and it cannot cover itself.
  const { _id, at, hash, ...rest } = doc;
  void hash;
  return sha256Hex(doc.prevHash + canonicalJson({ ...rest, id: _id, at: at.toISOString() }));
}

export function toDoc(event: AuditEventInput, prevHash: string): AuditDoc {
  const { id, ...rest } = event;
  const unhashed = { _id: id, ...rest, prevHash };
  return { ...unhashed, hash: hashOf(unhashed) };
}

export function toEvent(doc: AuditDoc): AuditEvent {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

export const indexed = (doc: AuditDoc) => ({
  id: doc._id,
  at: doc.at,
  project: doc.project,
  policyName: doc.policy.name,
  actor: doc.actor,
  outcome: doc.outcome,
});

/** Whether one event matches the filter: equal fields, and `at` in [from, to). */
export function matches(filter: AuditFilter, doc: AuditDoc): boolean {
  const equal: [unknown, unknown][] = [
    [filter.project, doc.project],
    [filter.policyName, doc.policy.name],
    [filter.policyVersion, doc.policy.version],
    [filter.process, doc.process],
    [filter.instanceId, doc.instanceId],
    [filter.actor, doc.actor],
    [filter.type, doc.type],
    [filter.outcome, doc.outcome],
  ];
  if (equal.some(([wanted, value]) => wanted !== undefined && wanted !== value)) return false;
  const at = doc.at.getTime();
  return (
    (filter.from === undefined || at >= filter.from.getTime()) &&
    (filter.to === undefined || at < filter.to.getTime())
  );
}

/** The cursor is opaque to callers; base64url so it travels in a query string untouched. */
export function encodeCursor(doc: { at: Date; _id: string }): string {
  return Buffer.from(JSON.stringify([doc.at.toISOString(), doc._id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const [at, id] = z.tuple([z.iso.datetime(), z.string()]).parse(parsed);
    return { at: new Date(at), id };
  } catch {
    throw new RangeError('audit query: the `after` cursor is not one this ledger issued');
  }
}

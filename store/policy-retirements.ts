// Retired policy versions and retired policies (`policy_retirements`, one document per retirement,
// `_id` `name@version` for a version, `name@*` for the whole policy). Published versions are
// immutable documents, so a retirement is a fact of its own beside them, never a field on them. A
// retirement is final: nothing here updates or deletes one.
//
// What a retirement changes: which version new instances start under. PolicyStore.newestInEffect
// skips retired versions, so retiring v3 puts v2 back in force (when v2 is effective and not
// retired itself); a retired policy has no version in force at all. Running instances pinned
// their version when they started and finish on it.
//
// What guards what:
//  - one ledger event per retirement: the event on the policy's chain (`policy:<name>`) has a
//    deterministic id, `policy:<name>/retired@<version|*>`, and the ledger stores one event per
//    id. It is written first and decides between concurrent retirers: whoever appends it first
//    fixes the reason, the person and the time; a loser's append is refused as a conflict, and
//    it reads the stored event instead. Its seq is the chain's last + 1; two retirements of
//    different versions racing for one seq are told apart by the unique (chain, seq) index and
//    the loser takes the next (as RefusalLog does).
//  - one retirement per version or policy: the unique `_id`, inserted after the event and made
//    from it, so every racer inserts the same document and a duplicate key is the same fact.
//    Ledger first, retirement last (the worker's order for transitions): a crash in between
//    leaves the retirement not yet in force, never in force without its ledger event, and the
//    retried request completes it. A retried request answers 'unchanged'.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { type Fact, sentenceOf } from '../engine/facts/index.js';
import { AuditConflictError, type AuditEvent, type AuditEventInput, AuditLedger } from './audit.js';
import { isDuplicateKey, parseDoc, StoredDocumentError, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';

const COLLECTION = 'policy_retirements';
const BY_NAME = 'name_version';
const MAX_ATTEMPTS = 50;
const MAX_REASON = 500;

export interface Retirement {
  name: string;
  /** The retired version; null when the whole policy is retired. */
  version: number | null;
  reason: string;
  by: string;
  at: Date;
}

export interface RetireInput {
  name: string;
  /** The version to retire; null retires the whole policy. */
  version: number | null;
  reason: string;
  by: string;
  at: Date;
}

/** Which published version an event cites: name, version and the hash of its IR. */
export interface VersionRef {
  name: string;
  version: number;
  sha256: string;
}

/** What retiring needs from the published versions (PolicyStore gives it). */
export interface PublishedVersions {
  /** The version, or with `version` null the newest version of `name`; null when none is published. */
  versionRef(name: string, version: number | null): Promise<VersionRef | null>;
}

/** The version (or, with `version` null, any version of the policy) is not published. */
export class PolicyNotFoundError extends Error {
  override name = 'PolicyNotFoundError';

  constructor(
    readonly policy: string,
    readonly version: number | null,
  ) {
    super(
      version === null
        ? `policy "${policy}" has no published version`
        : `policy "${policy}" has no published version ${version}`,
    );
  }
}

/** Why no version of a policy is in force at an instant (PolicyStore.whyNoneInForce). */
export type NotInForce =
  /** No version of the policy is published. */
  | { kind: 'unknown' }
  /** Versions are published, none effective yet: the earliest takes effect on `firstEffective`. */
  | { kind: 'notYetEffective'; firstEffective: string }
  /** The whole policy is retired. */
  | { kind: 'policyRetired'; retirement: Retirement }
  /** Every effective version is retired; `latest` is the newest effective version's retirement. */
  | { kind: 'allRetired'; latest: Retirement; retirements: Retirement[] };

const docSchema = z.strictObject({
  _id: z.string(),
  name: z.string(),
  version: z.number().int().positive().nullable(),
  reason: z.string(),
  by: z.string(),
  at: validDate,
});
type RetirementDoc = z.infer<typeof docSchema>;

/** `name@version`, `name@*` for the policy: the suffix after the last `@` is a number or `*`. */
const idFor = (name: string, version: number | null): string => `${name}@${version ?? '*'}`;

/** The chain of a policy's own ledger events, beside the instances' chains. */
export const policyChainOf = (name: string): string => `policy:${name}`;

/** The deterministic id of a retirement's ledger event: a retry finds its own earlier write. */
const eventIdFor = (name: string, version: number | null): string =>
  `${policyChainOf(name)}/retired@${version ?? '*'}`;

const toRetirement = (doc: RetirementDoc): Retirement => ({
  name: doc.name,
  version: doc.version,
  reason: doc.reason,
  by: doc.by,
  at: doc.at,
});

/** The whole policy's retirement among `retirements` (all of one name), if any. */
export const policyRetirementOf = (retirements: readonly Retirement[]): Retirement | null =>
  retirements.find((r) => r.version === null) ?? null;

/**
 * What keeps `version` from starting new instances: its own retirement or the whole policy's
 * (which shows on every version), the earlier of the two when both exist, since that is when the
 * version stopped; null when it is not retired.
 */
export function retirementOf(retirements: readonly Retirement[], version: number): Retirement | null {
  const own = retirements.find((r) => r.version === version) ?? null;
  const whole = policyRetirementOf(retirements);
  if (own === null || whole === null) return own ?? whole;
  return whole.at.getTime() < own.at.getTime() ? whole : own;
}

function checked(input: RetireInput): RetireInput {
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON)
    throw new RangeError(`retire: the reason must be 1 to ${MAX_REASON} characters`);
  if (input.version !== null && !(Number.isInteger(input.version) && input.version > 0))
    throw new RangeError('retire: `version` must be a positive integer or null');
  if (input.by.length === 0) throw new RangeError('retire: `by` must name a person');
  if (Number.isNaN(input.at.getTime())) throw new RangeError('retire: `at` is not a valid date');
  return { ...input, reason };
}

/** The retirement a stored ledger event records (its fact, actor and time). */
function retirementFromEvent(event: AuditEvent): Retirement {
  const { fact } = event;
  if (fact?.kind !== 'policyRetired' || event.actor === null) {
    throw new StoredDocumentError(
      'audit_events',
      event.id,
      'under a retirement id, yet not a policy retirement',
    );
  }
  return { name: fact.policy, version: fact.version, reason: fact.reason, by: event.actor, at: event.at };
}

export class PolicyRetirements {
  private readonly retirements: Collection<RetirementDoc>;
  private readonly ledger: AuditLedger;

  constructor(
    db: Db,
    private readonly versions: PublishedVersions,
  ) {
    this.retirements = db.collection<RetirementDoc>(COLLECTION);
    this.ledger = new AuditLedger(db);
  }

  /**
   * Retires a published version (or, with `version` null, the whole policy) for new instances.
   * 'unchanged' with the first retirement when it is retired already (a retry, or someone else
   * first); PolicyNotFoundError when the version (or the policy) is not published. Commands: one
   * round trip of two reads, then the chain's events, the event's append and the insert.
   */
  async retire(input: RetireInput): Promise<{ status: 'retired' | 'unchanged'; retirement: Retirement }> {
    const wanted = checked(input);
    const [stored, ref] = await Promise.all([
      this.retirements.findOne({ _id: idFor(wanted.name, wanted.version) }),
      this.versions.versionRef(wanted.name, wanted.version),
    ]);
    if (stored !== null) {
      return { status: 'unchanged', retirement: toRetirement(parseDoc(docSchema, stored, COLLECTION)) };
    }
    if (ref === null) throw new PolicyNotFoundError(wanted.name, wanted.version);
    const { retirement, appended } = await this.recordInLedger(wanted, ref);
    const doc: RetirementDoc = { _id: idFor(retirement.name, retirement.version), ...retirement };
    try {
      await this.retirements.insertOne(doc);
    } catch (error) {
      // A concurrent retirer inserted it, made from the same ledger event.
      if (!isDuplicateKey(error)) throw error;
    }
    return { status: appended ? 'retired' : 'unchanged', retirement };
  }

  /**
   * The retirement's event on the policy's chain: appended at the end of the chain, or found there
   * (an earlier attempt, or a concurrent retirer who came first and whose retirement stands).
   */
  private async recordInLedger(
    wanted: RetireInput,
    ref: VersionRef,
  ): Promise<{ retirement: Retirement; appended: boolean }> {
    const chain = policyChainOf(wanted.name);
    const id = eventIdFor(wanted.name, wanted.version);
    const fact: Fact = {
      kind: 'policyRetired',
      policy: wanted.name,
      version: wanted.version,
      reason: wanted.reason,
    };
    for (let round = 0; round < MAX_ATTEMPTS; round++) {
      // A policy's chain holds a handful of events (one per retirement): one find reads them all.
      const events = await this.ledger.chainByName(chain);
      const found = events.find((e) => e.id === id);
      if (found !== undefined) return { retirement: retirementFromEvent(found), appended: false };
      const event: AuditEventInput = {
        chain,
        seq: (events[events.length - 1]?.seq ?? 0) + 1,
        id,
        at: wanted.at,
        type: 'retired',
        // About no instance: the policy's chain is its own.
        instanceId: '',
        process: '',
        project: null,
        policy: ref,
        step: null,
        text: sentenceOf(fact),
        actor: wanted.by,
        onBehalfOf: null,
        outcome: 'retired',
        reasons: [],
        span: null,
        fact,
      };
      try {
        await this.ledger.append([event]);
        return {
          retirement: {
            name: wanted.name,
            version: wanted.version,
            reason: wanted.reason,
            by: wanted.by,
            at: wanted.at,
          },
          appended: true,
        };
      } catch (error) {
        // The id (a concurrent retirer of the same thing) or the seq (another retirement) is taken.
        if (!(error instanceof AuditConflictError)) throw error;
      }
    }
    throw new Error(`policy chain ${chain}: no free seq after ${MAX_ATTEMPTS} attempts`);
  }

  /** The retirements of one policy (its versions' and the policy's own): one find. */
  async of(name: string): Promise<Retirement[]> {
    // Unhinted: a plain equality the planner serves from `name_version`; SecantusDB walks the whole
    // index when a find names it (test/integration/secantusdb-differences.test.ts).
    const raws = await this.retirements.find({ name }).toArray();
    return raws.map((raw) => toRetirement(parseDoc(docSchema, raw, COLLECTION)));
  }

  /** The retirements of each of `names` (a page of the policy list): one find, none for no names. */
  async ofNames(names: readonly string[]): Promise<Map<string, Retirement[]>> {
    const unique = [...new Set(names)];
    const byName = new Map<string, Retirement[]>(unique.map((name) => [name, []]));
    if (unique.length === 0) return byName;
    const raws = await this.retirements.find({ name: { $in: unique } }).toArray();
    for (const raw of raws) {
      const retirement = toRetirement(parseDoc(docSchema, raw, COLLECTION));
      byName.get(retirement.name)?.push(retirement);
    }
    return byName;
  }
}

/** This module's collection and the index its queries use (store/manifest.ts). */
export const policyRetirementCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: 'one retirement of a policy version (`_id` = `name@version`) or of a whole policy (`name@*`)',
    // A handful of documents; if sharded, a policy's retirements stay together.
    shardKey: { name: 1 },
    indexes: [
      {
        name: BY_NAME,
        key: { name: 1, version: 1 },
        serves:
          "a policy's retirements (the version in force, a version's read) and those of a page of " +
          'policies (the list, `name` $in)',
      },
    ],
  },
];

// Published policy versions, one document per (name, version). A version, once published, never
// changes: running instances pin (name, version, sha256) and the audit ledger cites it, so
// rewriting a version in place would make both lie. Publishing is one insertOne: the unique `_id`
// `name@version` (and the unique (name, version) index, which also holds for documents written by
// hand) decides between two publishers racing; the loser reads the winner and answers 'unchanged'
// or PolicyConflictError. Nothing ever updates a version.
//
// The IR is stored as its canonical JSON text, not as a sub-document: those bytes are exactly what
// the sha256 was taken over, so every read re-verifies the hash on the text it got, whatever the
// database does with key order or number types. An IR edited in the database does not run.
//
// Retiring a version (or a whole policy) is a fact of its own beside the versions
// (policy-retirements.ts): `newestInEffect` skips retired versions, and the version documents stay
// exactly as they were published.
import type { Collection, Db, Document } from 'mongodb';
import { z } from 'zod';
import {
  type CompiledPolicy,
  canonicalJson,
  parseCompiledPolicy,
  PolicyIRError,
  sha256Hex,
} from '../engine/ir/index.js';
import { hexDigest, isDuplicateKey, isoDay, parseDoc, validDate } from './documents.js';
import type { CollectionSpec } from './manifest.js';
import { findPage, type Page, type SortField } from './paging.js';
import {
  type NotInForce,
  PolicyRetirements,
  policyRetirementOf,
  type Retirement,
  retirementOf,
  type VersionRef,
} from './policy-retirements.js';

const COLLECTION = 'policies';
const BY_NAME_VERSION = 'name_version_unique';
const BY_NAME_VERSION_ID = 'name_version_id';
const PAGE_ORDER: readonly SortField[] = [
  { field: 'name', order: 1 },
  { field: 'version', order: -1 },
  { field: '_id', order: 1 },
];

/** What lists and pickers need: everything but the IR and the source texts. */
export interface PolicySummary {
  name: string;
  version: number;
  /** `YYYY-MM-DD`: the first day (UTC) on which new instances may start under this version. */
  effective: string;
  owner: string | null;
  sha256: string;
  irVersion: number;
  /** The names of the processes this version defines. */
  processes: string[];
  publishedBy: string;
  publishedAt: Date;
  /** Why the author published it ("why this change"); absent when none was given (and on older versions). */
  note?: string;
}

export interface PublishedSource {
  path: string;
  text: string;
  sha256: string;
}

/** A version with its sources and its IR, already parsed and checked against its sha256. */
export interface PublishedPolicy extends PolicySummary {
  sources: PublishedSource[];
  compiled: CompiledPolicy;
}

export interface PublishInput {
  compiled: CompiledPolicy;
  sources: { path: string; text: string }[];
  publishedBy: string;
  at: Date;
  /** The author's reason for this version, kept with it; optional. */
  note?: string | undefined;
}

/** The version exists with different content: versions are immutable, publish a new one. */
export class PolicyConflictError extends Error {
  override name = 'PolicyConflictError';

  constructor(
    readonly policy: string,
    readonly version: number,
    readonly existingSha256: string,
    readonly newSha256: string,
  ) {
    super(
      `policy ${policy} version ${version} is already published with sha256 ${existingSha256}; ` +
        `this upload hashes to ${newSha256}: published versions are immutable, bump the version`,
    );
  }
}

/** The upload contradicts itself (hash, sources): refused before anything is written. */
export class PolicyPublishError extends Error {
  override name = 'PolicyPublishError';
}

const summaryFields = {
  _id: z.string(),
  name: z.string(),
  version: z.number().int(),
  effective: isoDay,
  owner: z.string().nullable(),
  sha256: hexDigest,
  irVersion: z.number().int(),
  processes: z.array(z.string()),
  publishedBy: z.string(),
  publishedAt: validDate,
  // Optional: versions published before notes existed have none.
  note: z.string().optional(),
};
const sourceSchema = z.strictObject({ path: z.string(), text: z.string(), sha256: hexDigest });
const policyDocSchema = z.strictObject({ ...summaryFields, sources: z.array(sourceSchema), ir: z.string() });
const summaryDocSchema = z.strictObject(summaryFields);

type PolicyDoc = z.infer<typeof policyDocSchema>;

/** Excludes the heavy fields; summaries are parsed with a schema that expects exactly the rest. */
const summaryProjection = { ir: 0, sources: 0 } as const;

/** The UTC day of `at`, as effective days are compared; RangeError for an invalid date. */
function dayOf(at: Date, what: string): string {
  if (Number.isNaN(at.getTime())) throw new RangeError(`${what}: \`at\` is not a valid date`);
  return at.toISOString().slice(0, 10);
}

/** `name@version`: readable in a shell; version is numeric, so no two pairs share an _id. */
const idFor = (name: string, version: number): string => `${name}@${version}`;

/** Picked field by field so that a field added to the document never leaks into the API. */
function toSummary(doc: z.infer<typeof summaryDocSchema>): PolicySummary {
  return {
    name: doc.name,
    version: doc.version,
    effective: doc.effective,
    owner: doc.owner,
    sha256: doc.sha256,
    irVersion: doc.irVersion,
    processes: doc.processes,
    publishedBy: doc.publishedBy,
    publishedAt: doc.publishedAt,
    ...(doc.note === undefined ? {} : { note: doc.note }),
  };
}

export class PolicyStore {
  private readonly policies: Collection<PolicyDoc>;
  /** Retired versions and policies: what `newestInEffect` skips, and retiring itself. */
  readonly retirements: PolicyRetirements;

  constructor(db: Db) {
    this.policies = db.collection<PolicyDoc>(COLLECTION);
    this.retirements = new PolicyRetirements(db, this);
  }

  /**
   * Publishes a compiled policy with the source texts it was compiled from. Publishing the same
   * content again (a retried request, a second publisher of the same build) answers 'unchanged'.
   */
  async publish(input: PublishInput): Promise<{ status: 'published' | 'unchanged'; policy: PolicySummary }> {
    const doc = this.documentFor(input);
    try {
      await this.policies.insertOne(doc);
      return { status: 'published', policy: toSummary(doc) };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Someone got there first (maybe ourselves, on a retry): the stored version decides.
    const existing = await this.summary(doc.name, doc.version);
    if (existing === null) {
      throw new Error(
        `policy ${doc.name} version ${doc.version}: duplicate key, yet no such version is stored`,
      );
    }
    if (existing.sha256 !== doc.sha256) {
      throw new PolicyConflictError(doc.name, doc.version, existing.sha256, doc.sha256);
    }
    return { status: 'unchanged', policy: existing };
  }

  async get(name: string, version: number): Promise<PublishedPolicy | null> {
    const raw = await this.policies.findOne({ _id: idFor(name, version) });
    return raw === null ? null : this.published(raw);
  }

  private published(raw: unknown): PublishedPolicy {
    return this.verified(parseDoc(policyDocSchema, raw, COLLECTION));
  }

  private verified(doc: PolicyDoc): PublishedPolicy {
    return { ...toSummary(doc), sources: doc.sources, compiled: this.compiledOf(doc) };
  }

  /** The IR to run, re-verified against the hash it was published under. */
  async compiled(name: string, version: number): Promise<CompiledPolicy | null> {
    const raw = await this.policies.findOne({ _id: idFor(name, version) }, { projection: { sources: 0 } });
    if (raw === null) return null;
    return this.compiledOf(parseDoc(policyDocSchema.omit({ sources: true }), raw, COLLECTION));
  }

  /** Every version, grouped by name (ascending), newest version first within a name. */
  /** One page of every version, by name then newest version first (the API's list). */
  async page(page: { after?: string | undefined; limit: number }): Promise<Page<PolicySummary>> {
    return findPage(this.policies as unknown as Collection<Document>, {
      list: 'policies',
      filter: {},
      sort: PAGE_ORDER,
      after: page.after,
      limit: page.limit,
      projection: summaryProjection,
      parse: (raw) => toSummary(parseDoc(summaryDocSchema, raw, COLLECTION)),
      hint: BY_NAME_VERSION_ID,
    });
  }

  /** Every version, by name then newest version first (small: a PMO has tens of policies). */
  async list(): Promise<PolicySummary[]> {
    const raws = await this.policies
      .find({}, { projection: summaryProjection, sort: { name: 1, version: -1 }, hint: BY_NAME_VERSION })
      .toArray();
    return raws.map((raw) => toSummary(parseDoc(summaryDocSchema, raw, COLLECTION)));
  }

  /**
   * The version a new instance started at `at` runs under: the highest version already effective
   * on the UTC calendar day of `at` that is not retired (policy-retirements.ts). Versions are
   * compared by number, not by publication time, so a late-published hotfix v3 still loses to a v4
   * that is already in effect; retiring v4 puts v3 back in force (the newest effective version not
   * retired wins), and a retired policy has no version in force. Null when none is in force;
   * `whyNoneInForce` says why. One round trip of two finds (the name's retirements, and the newest
   * effective version read whole on the (name, version desc) index); a second find only when that
   * version is retired, for the newest one that is not.
   */
  async newestInEffect(name: string, at: Date): Promise<PublishedPolicy | null> {
    const day = dayOf(at, 'newestInEffect');
    const [retirements, [newest]] = await Promise.all([
      this.retirements.of(name),
      this.newestEffective(name, day, []),
    ]);
    if (newest === undefined || policyRetirementOf(retirements) !== null) return null;
    if (retirementOf(retirements, newest.version) === null) return this.verified(newest);
    const retired = retirements.flatMap((r) => (r.version === null ? [] : [r.version]));
    const [next] = await this.newestEffective(name, day, retired);
    return next === undefined ? null : this.verified(next);
  }

  /**
   * Why no version of `name` is in force at `at` (null when one is): no version published, none
   * effective yet, the policy retired, or every effective version retired. One round trip.
   */
  async whyNoneInForce(name: string, at: Date): Promise<NotInForce | null> {
    const day = dayOf(at, 'whyNoneInForce');
    const [retirements, raws] = await Promise.all([
      this.retirements.of(name),
      this.policies
        .find({ name }, { projection: summaryProjection, sort: { version: -1 }, hint: BY_NAME_VERSION })
        .toArray(),
    ]);
    const versions = raws.map((raw) => toSummary(parseDoc(summaryDocSchema, raw, COLLECTION)));
    const whole = policyRetirementOf(retirements);
    if (whole !== null) return { kind: 'policyRetired', retirement: whole };
    if (versions.length === 0) return { kind: 'unknown' };
    const effective = versions.filter((v) => v.effective <= day);
    if (effective.length === 0) {
      const firstEffective = versions.map((v) => v.effective).sort()[0] ?? day;
      return { kind: 'notYetEffective', firstEffective };
    }
    const retired = effective.map((v) => retirementOf(retirements, v.version));
    const found = retired.filter((r): r is Retirement => r !== null);
    const [latest] = found;
    // Newest first, as `versions` is sorted: `latest` is the newest effective version's.
    if (latest === undefined || found.length < retired.length) return null;
    return { kind: 'allRetired', latest, retirements: found };
  }

  /** The version's name, number and hash (the newest version's for `version` null), or null. */
  async versionRef(name: string, version: number | null): Promise<VersionRef | null> {
    const [summary] =
      version === null
        ? await this.policies
            .find(
              { name },
              { projection: summaryProjection, sort: { version: -1 }, limit: 1, hint: BY_NAME_VERSION },
            )
            .toArray()
        : [await this.policies.findOne({ _id: idFor(name, version) }, { projection: summaryProjection })];
    if (summary === undefined || summary === null) return null;
    const parsed = toSummary(parseDoc(summaryDocSchema, summary, COLLECTION));
    return { name: parsed.name, version: parsed.version, sha256: parsed.sha256 };
  }

  /** The newest version of `name` effective on `day` whose number is not in `skip` (none or one), parsed. */
  private async newestEffective(name: string, day: string, skip: readonly number[]): Promise<PolicyDoc[]> {
    // YYYY-MM-DD strings order like the dates they name, so the comparison can run in the server.
    const filter =
      skip.length === 0
        ? { name, effective: { $lte: day } }
        : { name, effective: { $lte: day }, version: { $nin: [...skip] } };
    const raws = await this.policies
      .find(filter, { sort: { version: -1 }, limit: 1, hint: BY_NAME_VERSION })
      .toArray();
    return raws.map((raw) => parseDoc(policyDocSchema, raw, COLLECTION));
  }

  private async summary(name: string, version: number): Promise<PolicySummary | null> {
    const raw = await this.policies.findOne({ _id: idFor(name, version) }, { projection: summaryProjection });
    return raw === null ? null : toSummary(parseDoc(summaryDocSchema, raw, COLLECTION));
  }

  private compiledOf(doc: { _id: string; ir: string; sha256: string }): CompiledPolicy {
    let ir: unknown;
    try {
      ir = JSON.parse(doc.ir);
    } catch {
      throw new PolicyIRError(`policy ${doc._id}: the stored IR is not JSON`);
    }
    // parseCompiledPolicy recomputes the hash over the canonical form: an IR edited in the
    // database after approval must not run.
    return parseCompiledPolicy({ ir, sha256: doc.sha256 });
  }

  /**
   * The document to store, after checking that the upload is what it claims to be: the hash is
   * the hash of the IR, and the source texts are the ones the IR says it was compiled from. A
   * store that kept mismatched sources would show auditors text that never ran.
   */
  private documentFor(input: PublishInput): PolicyDoc {
    if (Number.isNaN(input.at.getTime())) throw new PolicyPublishError('publish: `at` is not a valid date');
    // Parsing also proves the hash: the caller may hand us an IR that was altered after compiling.
    let compiled: CompiledPolicy;
    try {
      compiled = parseCompiledPolicy(input.compiled);
    } catch (error) {
      throw new PolicyPublishError(`publish: ${(error as Error).message}`, { cause: error });
    }
    const { ir } = compiled;
    const texts = new Map(input.sources.map((s) => [s.path, s.text]));
    if (texts.size !== input.sources.length)
      throw new PolicyPublishError('publish: a source path is given twice');
    const sources = ir.sources.map(({ path, sha256 }) => {
      const text = texts.get(path);
      if (text === undefined)
        throw new PolicyPublishError(`publish: the text of source \`${path}\` is missing`);
      const actual = sha256Hex(text);
      if (actual !== sha256) {
        throw new PolicyPublishError(
          `publish: source \`${path}\` hashes to ${actual}, but the policy was compiled from ${sha256}`,
        );
      }
      return { path, text, sha256 };
    });
    if (sources.length !== input.sources.length) {
      const extra = input.sources.filter((s) => !ir.sources.some((known) => known.path === s.path));
      throw new PolicyPublishError(`publish: source \`${extra[0]?.path ?? '?'}\` is not part of this policy`);
    }
    return {
      _id: idFor(ir.policy.name, ir.policy.version),
      name: ir.policy.name,
      version: ir.policy.version,
      effective: ir.policy.effective,
      owner: ir.policy.owner,
      sha256: compiled.sha256,
      irVersion: ir.irVersion,
      processes: ir.processes.map((p) => p.name),
      sources,
      ir: canonicalJson(ir),
      publishedBy: input.publishedBy,
      publishedAt: input.at,
      ...(input.note === undefined ? {} : { note: input.note }),
    };
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const policyCollections: CollectionSpec[] = [
  {
    name: COLLECTION,
    holds: 'one published policy version (`_id` = `name@version`): sources and IR as canonical JSON',
    // A handful of documents, unsharded in practice; if sharded, a name's versions stay together.
    shardKey: { name: 1 },
    indexes: [
      {
        name: BY_NAME_VERSION,
        key: { name: 1, version: -1 },
        unique: true,
        serves:
          'one document per (name, version), immutable versions; every version by name then newest ' +
          'first (list); the newest version in effect on a day (newestInEffect: name, version desc, ' +
          'effective filtered)',
      },
      {
        name: BY_NAME_VERSION_ID,
        key: { name: 1, version: -1, _id: 1 },
        serves: 'pages of every version by name, newest first, key range after the cursor (page)',
      },
    ],
  },
];

// The directory: people, groups, absences and delegations, one plain document per thing a user
// names. It answers the machine's `resolve` command exactly like the simulator's `resolveRefs`
// answers it from a world file (same order, same de-duplication, same problems), so a policy test
// that passes in the simulator means the same thing in production. On top it knows absences,
// which the simulator does not model: an absent approver with a named delegate is replaced by them.
//
// Documents and what guards them:
//  - a person (`directory_people`, `_id` = their e-mail address): name, manager, active, and the
//    `searchKeys` people search finds them by (directory-search.ts), written with the name. Each
//    write is one updateOne on the `_id`; fields a caller leaves out keep their value ($setOnInsert).
//  - a group (`directory_groups`, `_id` = its slug) with its `members`, bounded by the group (the
//    API accepts at most 2,000). "A person's groups" is one find on the multikey `by_member` index.
//    A membership change replaces the array in one updateOne: the last writer's list wins whole.
//  - an absence (`directory_absences`, `_id` = the absent person): one per person, as HR tools keep
//    it; a new one replaces the old. Its stand-in, if it names one, is also a delegation document
//    (`absence:<person>`, kind `absence`) so that delegatorsOf is one find: a transaction writes both.
//  - a delegation (`directory_delegations`, `_id` chosen by the caller): `from`, `to`, a date range,
//    and `parties` = [from, to] so that "the delegations involving someone" is one indexed equality
//    instead of an `$or` over two indexes. Never edited, only added (upsert by `_id`, so a retried
//    add is the same document) and removed.
// Apart from an absence and its stand-in, no invariant spans two documents, and the order of the two
// writes of a group (its members as people first, then the group) is enough: a crash between them
// leaves known people and the old group, and resolution counts a member without a person document
// as present anyway, as the simulator does.
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { PersonRef } from '../engine/machine/types.js';
import { resolveOne, substitute } from './directory-resolution.js';
import { peopleSearchIndex, searchKeysOf } from './directory-search.js';
import { inTransaction, parseDoc } from './documents.js';
import type { CollectionSpec } from './manifest.js';

export const PEOPLE = 'directory_people';
export const GROUPS = 'directory_groups';
export const ABSENCES = 'directory_absences';
export const DELEGATIONS = 'directory_delegations';

/** Index names, as reads `hint` them (declared in directoryCollections below). */
export const INDEX = {
  id: '_id_',
  member: 'by_member',
  delegationDelegate: 'by_to_start',
  delegationParty: 'by_party',
} as const;

export * from './directory-model.js';
import {
  type AbsenceDoc,
  absenceSchema,
  type DelegationDoc,
  delegationSchema,
  type Group,
  groupSchema,
  type Person,
  personSchema,
  type Resolution,
} from './directory-model.js';

/** The organisation a world file describes (policies/shared/org.world.json). */
export interface WorldDirectory {
  groups: Record<string, string[]>;
  managers: Record<string, string>;
  people: string[];
}

/** Thrown when a caller hands the directory something it cannot store truthfully. */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/** A person as stored: what callers see, and the keys people search uses (never read back). */
type PersonDoc = Person & { searchKeys?: string[] };

/** A person who is not yet known: present, unnamed, without a manager, found by their id. */
const newPerson = (id: string): Omit<PersonDoc, '_id'> => ({
  name: null,
  manager: null,
  active: true,
  searchKeys: searchKeysOf(id, null),
});

const ensurePersonOp = (id: string): AnyBulkWriteOperation<PersonDoc> => ({
  updateOne: { filter: { _id: id }, update: { $setOnInsert: newPerson(id) }, upsert: true },
});

/** Reads a batch of people by `_id` into a map, or an empty map without a command. */
async function peopleById(
  people: Collection<PersonDoc>,
  ids: Iterable<string>,
): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  // By `_id` alone, unhinted: SecantusDB 0.7 serves that from its own `_id` path, while a hint of
  // `_id_` (or another field beside the `$in`) makes it walk the whole index or collection.
  const raws = await people.find({ _id: { $in: wanted } }).toArray();
  return new Map(raws.map((raw) => [String(raw._id), parseDoc(personSchema, raw, PEOPLE)]));
}

export class Directory {
  private readonly people: Collection<PersonDoc>;
  private readonly groups: Collection<Group>;
  private readonly absences: Collection<AbsenceDoc>;
  private readonly delegations: Collection<DelegationDoc>;

  constructor(private readonly db: Db) {
    this.people = db.collection(PEOPLE);
    this.groups = db.collection(GROUPS);
    this.absences = db.collection(ABSENCES);
    this.delegations = db.collection(DELEGATIONS);
  }

  /** Creates or updates a person; fields left out keep their stored value (new people: active). */
  async upsertPerson(p: {
    id: string;
    name?: string;
    manager?: string | null;
    active?: boolean;
  }): Promise<void> {
    if (p.manager === p.id) throw new DirectoryError(`${p.id} cannot be their own manager`);
    const set: Partial<PersonDoc> = {};
    const onInsert: Partial<PersonDoc> = {};
    // The keys change with the name, in the same update: a search never finds a stale name.
    if (p.name !== undefined) {
      set.name = p.name;
      set.searchKeys = searchKeysOf(p.id, p.name);
    } else {
      onInsert.name = null;
      onInsert.searchKeys = searchKeysOf(p.id, null);
    }
    if (p.manager !== undefined) set.manager = p.manager;
    else onInsert.manager = null;
    if (p.active !== undefined) set.active = p.active;
    else onInsert.active = true;
    await this.people.updateOne({ _id: p.id }, { $set: set, $setOnInsert: onInsert }, { upsert: true });
  }

  /**
   * Replaces a group's members. Members become known people (as in a world file), without touching
   * people already known: membership never re-activates someone who left. Two commands: the
   * members' people in one bulk write, then the group.
   */
  async upsertGroup(g: { id: string; members: string[] }): Promise<void> {
    const members = [...new Set(g.members)];
    if (members.length > 0) await this.people.bulkWrite(members.map(ensurePersonOp), { ordered: false });
    await this.groups.updateOne({ _id: g.id }, { $set: { members } }, { upsert: true });
  }

  /** Records an absence; a later call replaces it (one absence per person is what HR tools keep). */
  async setOutOfOffice(person: string, a: { from: Date; to: Date; delegate: string | null }): Promise<void> {
    if (a.to.getTime() <= a.from.getTime())
      throw new DirectoryError(`the absence of ${person} ends before it starts`);
    if (a.delegate === person) throw new DirectoryError(`${person} cannot delegate to themselves`);
    // The stand-in is a delegation too (`absence:<person>`, kind `absence`), so that whose tasks
    // someone may take is one indexed find; the absence and its stand-in change in one transaction.
    const standIn = `absence:${person}`;
    await inTransaction(this.db, async (session) => {
      await this.absences.updateOne(
        { _id: person },
        { $set: { from: a.from, to: a.to, delegate: a.delegate } },
        { upsert: true, session },
      );
      if (a.delegate === null) await this.delegations.deleteOne({ _id: standIn }, { session });
      else {
        const { from: start, to: end, delegate: to } = a;
        const fields = { from: person, to, start, end, parties: [person, to], kind: 'absence' as const };
        await this.delegations.updateOne({ _id: standIn }, { $set: fields }, { upsert: true, session });
      }
    });
  }

  /** Ends a person's absence (cancelled or back early) with its stand-in; false when there was none. */
  async clearOutOfOffice(person: string): Promise<boolean> {
    return inTransaction(this.db, async (session) => {
      const removed = (await this.absences.deleteOne({ _id: person }, { session })).deletedCount === 1;
      await this.delegations.deleteOne({ _id: `absence:${person}` }, { session });
      return removed;
    });
  }

  async addDelegation(d: { id: string; from: string; to: string; start: Date; end: Date }): Promise<void> {
    if (d.end.getTime() <= d.start.getTime())
      throw new DirectoryError(`delegation ${d.id} ends before it starts`);
    if (d.from === d.to)
      throw new DirectoryError(`delegation ${d.id}: ${d.from} cannot delegate to themselves`);
    const { id, ...rest } = d;
    await this.delegations.updateOne(
      { _id: id },
      { $set: { ...rest, parties: [d.from, d.to] } },
      { upsert: true },
    );
  }

  async removeDelegation(id: string): Promise<void> {
    await this.delegations.deleteOne({ _id: id });
  }

  async person(id: string): Promise<Person | null> {
    const raw = await this.people.findOne({ _id: id });
    return raw === null ? null : parseDoc(personSchema, raw, PEOPLE);
  }

  async group(id: string): Promise<Group | null> {
    const raw = await this.groups.findOne({ _id: id });
    return raw === null ? null : parseDoc(groupSchema, raw, GROUPS);
  }

  /**
   * The people the references name at `at`, in reference order without duplicates, and a problem
   * for every reference that named nobody. Inactive people count as unknown, as if they had left.
   */
  async resolve(refs: readonly PersonRef[], at: Date): Promise<Resolution> {
    const [resolution] = await this.resolveMany([refs], at);
    if (resolution === undefined) throw new DirectoryError('nothing resolved');
    return resolution;
  }

  /**
   * `resolve` for each of several reference lists (the requests of one machine transition), on
   * one set of reads for all of them. Batched by what each step needs to know, whatever the number
   * of refs: (1) the groups and the people named directly or as managers' subjects; (2) the group
   * members and managers not read yet, and the absences of everyone who may be asked; (3) only
   * when someone is away with a delegate not read yet, that delegate. Four commands for a typical
   * transition, in 2 rounds.
   */
  async resolveMany(lists: readonly (readonly PersonRef[])[], at: Date): Promise<Resolution[]> {
    // Fail loudly: every ref names someone or carries a problem, so only "no refs" could be empty.
    if (lists.some((refs) => refs.length === 0)) {
      throw new DirectoryError('nothing to resolve: the approver list is empty');
    }
    const refs = lists.flat();
    const groupIds = refs.flatMap((r) => (r.kind === 'group' ? [r.group] : []));
    const [groups, known] = await Promise.all([
      this.groupsById(groupIds),
      peopleById(
        this.people,
        refs.flatMap((r) => (r.kind === 'group' ? [] : [r.person])),
      ),
    ]);

    const candidates = new Set<string>();
    for (const ref of refs) {
      if (ref.kind === 'group') groups.get(ref.group)?.members.forEach((m) => candidates.add(m));
      else if (ref.kind === 'person') candidates.add(ref.person);
      else {
        const manager = known.get(ref.person)?.active === true ? known.get(ref.person)?.manager : null;
        if (manager !== null && manager !== undefined) candidates.add(manager);
      }
    }
    const [more, away] = await Promise.all([
      peopleById(
        this.people,
        [...candidates].filter((id) => !known.has(id)),
      ),
      this.absentAmong([...candidates], at),
    ]);
    for (const [id, p] of more) known.set(id, p);
    const delegates = [...away.values()].flatMap((a) => (a.delegate === null ? [] : [a.delegate]));
    for (const [id, p] of await peopleById(
      this.people,
      delegates.filter((id) => !known.has(id)),
    )) {
      known.set(id, p);
    }

    const active = (id: string): boolean => known.get(id)?.active === true;
    return lists.map((list) => {
      const people: string[] = [];
      const problems: Resolution['problems'] = [];
      for (const ref of list) {
        const problem = resolveOne(ref, groups, known, active, people);
        if (problem !== null) problems.push({ ref, problem });
      }
      const { resolved, substitutions } = substitute([...new Set(people)], away, active);
      return { people: resolved, problems, substitutions };
    });
  }

  /**
   * Whose decisions `person` may take at `at`: explicit delegations in their date range and the
   * stand-ins absences name (tasks opened before the absence still name the absentee), both
   * delegation documents: one indexed find.
   */
  async delegatorsOf(person: string, at: Date): Promise<string[]> {
    const raws = await this.delegations
      .find(
        { to: person, start: { $lte: at }, end: { $gt: at } },
        { hint: INDEX.delegationDelegate, projection: { from: 1 } },
      )
      .toArray();
    const from = raws.map((raw) => parseDoc(delegationSchema.pick({ from: true }), raw, DELEGATIONS).from);
    return [...new Set(from)].sort();
  }

  /**
   * Makes the directory of a world file; running it twice changes nothing the second time. Two
   * commands: every person named (with their manager) in one bulk write, then every group.
   */
  async seedFromWorld(world: WorldDirectory): Promise<void> {
    const named = new Set([
      ...world.people,
      ...Object.values(world.managers),
      ...Object.values(world.groups).flat(),
    ]);
    const ops: AnyBulkWriteOperation<PersonDoc>[] = [];
    for (const id of named) if (!Object.hasOwn(world.managers, id)) ops.push(ensurePersonOp(id));
    for (const [id, manager] of Object.entries(world.managers)) {
      if (manager === id) throw new DirectoryError(`${id} cannot be their own manager`);
      ops.push({
        updateOne: {
          filter: { _id: id },
          update: {
            $set: { manager },
            $setOnInsert: { name: null, active: true, searchKeys: searchKeysOf(id, null) },
          },
          upsert: true,
        },
      });
    }
    if (ops.length > 0) await this.people.bulkWrite(ops, { ordered: false });
    const groupOps: AnyBulkWriteOperation<Group>[] = Object.entries(world.groups).map(([id, members]) => ({
      updateOne: { filter: { _id: id }, update: { $set: { members: [...new Set(members)] } }, upsert: true },
    }));
    if (groupOps.length > 0) await this.groups.bulkWrite(groupOps, { ordered: false });
  }

  private async groupsById(ids: readonly string[]): Promise<Map<string, Group>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const raws = await this.groups.find({ _id: { $in: wanted } }).toArray();
    return new Map(raws.map((raw) => [String(raw._id), parseDoc(groupSchema, raw, GROUPS)]));
  }

  /** The absences in effect at `at` of any of `ids`, by person. */
  private async absentAmong(ids: readonly string[], at: Date): Promise<Map<string, AbsenceDoc>> {
    if (ids.length === 0) return new Map();
    // The period is checked here: with it in the filter beside the `$in`, SecantusDB 0.7 scans.
    const raws = await this.absences.find({ _id: { $in: [...ids] } }).toArray();
    const absences = raws.map((raw) => parseDoc(absenceSchema, raw, ABSENCES));
    return new Map(absences.filter((a) => a.from <= at && a.to > at).map((a) => [a._id, a]));
  }
}

/** This module's collections and the indexes its queries (and directory-queries.ts's) use. */
export const directoryCollections: CollectionSpec[] = [
  {
    name: PEOPLE,
    holds: 'one person (`_id` = e-mail address): name, manager, active',
    shardKey: { _id: 'hashed' },
    // Otherwise by `_id`: one person, a batch (`$in`), and the page of people.
    indexes: [peopleSearchIndex],
  },
  {
    name: GROUPS,
    holds: 'one group (`_id` = slug) and its members, bounded by the group',
    shardKey: { _id: 'hashed' },
    indexes: [
      {
        name: INDEX.member,
        key: { members: 1, _id: 1 },
        serves: "a person's groups in id order (DirectoryQueries.groupsOf), multikey on members",
      },
    ],
  },
  {
    name: ABSENCES,
    holds: "one person's absence (`_id` = the person): from, to, delegate",
    shardKey: { _id: 'hashed' },
    // By `_id` only: the absences of the people a step may ask (resolve).
    indexes: [],
  },
  {
    name: DELEGATIONS,
    holds: 'one dated delegation of decisions from one person to another',
    shardKey: { to: 'hashed' },
    indexes: [
      {
        name: INDEX.delegationDelegate,
        key: { to: 1, start: 1 },
        serves: 'delegations to a person, started by a date (Directory.delegatorsOf)',
      },
      {
        name: INDEX.delegationParty,
        key: { parties: 1, _id: 1 },
        serves: 'the page of delegations a person gives or receives (DirectoryQueries.pageOfDelegations)',
      },
    ],
  },
];

// Read-side queries over the directory's collections for the control API: pages of people, groups
// and delegations, a person's groups and absence. The Directory itself stays the one writer and
// the one resolver; this class only reads what it wrote.
//
// Why keyset pages on `_id` rather than skip/limit: a page boundary that is a key stays put when
// people are added or groups reorganised between two requests, and FerretDB v1 evaluates `skip`
// by reading and discarding every skipped document.
import type { Collection, Db, Filter } from 'mongodb';
import type { z } from 'zod';
import { absenceSchema, delegationSchema, groupSchema, personSchema } from './directory.js';
import type { Group, Person } from './directory.js';
import { parseDoc } from './documents.js';

// The collection names and shapes the Directory writes (store/directory.ts).
const PEOPLE = 'directory_people';
const GROUPS = 'directory_groups';
const ABSENCES = 'directory_absences';
const DELEGATIONS = 'directory_delegations';

export type Absence = z.infer<typeof absenceSchema>;
export type Delegation = z.infer<typeof delegationSchema>;

/** One page: the documents after the cursor key and whether more follow. */
export interface KeyPage<T> {
  items: T[];
  /** The key to continue after, or null on the last page. */
  last: string | null;
}

export class DirectoryQueries {
  private readonly people: Collection<z.infer<typeof personSchema>>;
  private readonly groups: Collection<Group>;
  private readonly absences: Collection<Absence>;
  private readonly delegations: Collection<Delegation>;

  constructor(db: Db) {
    this.people = db.collection(PEOPLE);
    this.groups = db.collection(GROUPS);
    this.absences = db.collection(ABSENCES);
    this.delegations = db.collection(DELEGATIONS);
  }

  async ensureIndexes(): Promise<void> {
    // The Directory indexes delegations by delegate; "mine" lists need the delegator side too.
    await this.delegations.createIndex({ from: 1, start: 1 }, { name: 'by_delegator' });
  }

  async pageOfPeople(after: string | null, limit: number): Promise<KeyPage<Person>> {
    return page(this.people, personSchema, PEOPLE, {}, after, limit);
  }

  async pageOfGroups(after: string | null, limit: number): Promise<KeyPage<Group>> {
    return page(this.groups, groupSchema, GROUPS, {}, after, limit);
  }

  /** Delegations, all of them or those `involving` a person as delegator or delegate. */
  async pageOfDelegations(
    involving: string | null,
    after: string | null,
    limit: number,
  ): Promise<KeyPage<Delegation>> {
    const filter: Filter<Delegation> =
      involving === null ? {} : { $or: [{ from: involving }, { to: involving }] };
    return page(this.delegations, delegationSchema, DELEGATIONS, filter, after, limit);
  }

  async delegation(id: string): Promise<Delegation | null> {
    const raw = await this.delegations.findOne({ _id: id });
    return raw === null ? null : parseDoc(delegationSchema, raw, DELEGATIONS);
  }

  /** The ids of the groups that list `person`, in id order. */
  async groupsOf(person: string): Promise<string[]> {
    const docs = await this.groups.find({ members: person }).sort({ _id: 1 }).toArray();
    return docs.map((raw) => parseDoc(groupSchema, raw, GROUPS)._id);
  }

  /** The person's recorded absence (past, current or future), if any. */
  async absenceOf(person: string): Promise<Absence | null> {
    const raw = await this.absences.findOne({ _id: person });
    return raw === null ? null : parseDoc(absenceSchema, raw, ABSENCES);
  }

  /** The ids among `ids` that name nobody, or someone who left, in the order given. */
  async notActiveAmong(ids: readonly string[]): Promise<string[]> {
    const docs = await this.people.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    const active = new Set(
      docs
        .map((raw) => parseDoc(personSchema, raw, PEOPLE))
        .filter((p) => p.active)
        .map((p) => p._id),
    );
    return ids.filter((id) => !active.has(id));
  }
}

async function page<T extends { _id: string }>(
  collection: Collection<T>,
  schema: z.ZodType<T>,
  name: string,
  filter: Filter<T>,
  after: string | null,
  limit: number,
): Promise<KeyPage<T>> {
  const keyed = after === null ? filter : ({ $and: [filter, { _id: { $gt: after } }] } as Filter<T>);
  // One more than asked tells whether a next page exists without a count.
  const docs = await collection
    .find(keyed)
    .sort({ _id: 1 })
    .limit(limit + 1)
    .toArray();
  const items = docs.slice(0, limit).map((raw) => parseDoc(schema, raw, name));
  const last = docs.length > limit ? (items[items.length - 1]?._id ?? null) : null;
  return { items, last };
}

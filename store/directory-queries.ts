// Read-side queries over the directory's collections for the control API: pages of people, groups
// and delegations, a person's groups and absence, people search (directory-search.ts). The Directory (store/directory.ts) stays the one
// writer and the one resolver; this class only reads what it wrote, and the indexes it relies on
// are declared with the Directory's collections (directoryCollections), next to the documents.
//
// Every list is one indexed find paged by key range through store/paging.ts, whose opaque cursor
// the API hands to clients unchanged: a cursor of one list is refused by another (422).
import type { Collection, Db, Document, Filter } from 'mongodb';
import type { z } from 'zod';
import {
  ABSENCES,
  absenceSchema,
  DELEGATIONS,
  delegationSchema,
  GROUPS,
  groupSchema,
  INDEX,
  PEOPLE,
  personSchema,
} from './directory.js';
import type { Group, Person } from './directory.js';
import { MAX_SEARCH_RESULTS, PEOPLE_SEARCH_INDEX, searchFilter } from './directory-search.js';
import { parseDoc } from './documents.js';
import { findPage, type Page, type SortField } from './paging.js';

export type Absence = z.infer<typeof absenceSchema>;
export type Delegation = z.infer<typeof delegationSchema>;

/** One page of a directory list: its items and the opaque cursor of the next page (or null). */
export type KeyPage<T> = Page<T>;

const BY_ID: readonly SortField[] = [{ field: '_id', order: 1 }];

/** zod drops `parties`, which exists only to index "involving someone", from what callers see. */
const parseDelegation = (raw: Document): Delegation => parseDoc(delegationSchema, raw, DELEGATIONS);

/** Documents keyed by a string `_id`; findPage takes every list's collection untyped. */
type Keyed = Collection<{ _id: string }>;
const untyped = (collection: Keyed): Collection<Document> => collection as unknown as Collection<Document>;

export class DirectoryQueries {
  private readonly people: Keyed;
  private readonly groups: Keyed;
  private readonly absences: Keyed;
  private readonly delegations: Keyed;

  constructor(db: Db) {
    this.people = db.collection(PEOPLE);
    this.groups = db.collection(GROUPS);
    this.absences = db.collection(ABSENCES);
    this.delegations = db.collection(DELEGATIONS);
  }

  /** People by id (their e-mail address), `limit` after the page `after` ended. */
  async pageOfPeople(after: string | null, limit: number): Promise<KeyPage<Person>> {
    return findPage(untyped(this.people), {
      list: 'directory.people',
      filter: {},
      sort: BY_ID,
      ...(after === null ? {} : { after }),
      limit,
      parse: (raw) => parseDoc(personSchema, raw, PEOPLE),
      hint: INDEX.id,
    });
  }

  /**
   * The active people whose id, name or a name word starts with `typed` (case and accents
   * ignored), by id, at most `limit` (and MAX_SEARCH_RESULTS): one hinted find on the search keys.
   */
  async searchPeople(typed: string, limit: number = MAX_SEARCH_RESULTS): Promise<Person[]> {
    const filter = searchFilter(typed);
    if (filter === null) return [];
    const docs = await untyped(this.people)
      .find(filter, {
        sort: { _id: 1 },
        limit: Math.max(1, Math.min(limit, MAX_SEARCH_RESULTS)),
        projection: { searchKeys: 0 },
        hint: PEOPLE_SEARCH_INDEX,
      })
      .toArray();
    // One document per person even where a multikey scan meets them under several keys.
    const people = new Map<string, Person>();
    for (const raw of docs) {
      const person = parseDoc(personSchema, raw, PEOPLE);
      if (!people.has(person._id)) people.set(person._id, person);
    }
    return [...people.values()];
  }

  /** Groups by id with their members. */
  async pageOfGroups(after: string | null, limit: number): Promise<KeyPage<Group>> {
    return findPage(untyped(this.groups), {
      list: 'directory.groups',
      filter: {},
      sort: BY_ID,
      ...(after === null ? {} : { after }),
      limit,
      parse: (raw) => parseDoc(groupSchema, raw, GROUPS),
      hint: INDEX.id,
    });
  }

  /**
   * Delegations by id (ids sort by creation time), all of them or those `involving` a person as
   * delegator or delegate: one equality on the multikey `parties`, not an `$or` over two indexes.
   */
  async pageOfDelegations(
    involving: string | null,
    after: string | null,
    limit: number,
  ): Promise<KeyPage<Delegation>> {
    // Absences' stand-ins (kind `absence`) are the absences' to show, not listed delegations.
    const filter: Filter<Document> = {
      ...(involving === null ? {} : { parties: involving }),
      kind: { $ne: 'absence' },
    };
    return findPage(untyped(this.delegations), {
      list: 'directory.delegations',
      filter,
      sort: BY_ID,
      ...(after === null ? {} : { after }),
      limit,
      parse: parseDelegation,
      hint: involving === null ? INDEX.id : INDEX.delegationParty,
    });
  }

  async delegation(id: string): Promise<Delegation | null> {
    const raw = await this.delegations.findOne({ _id: id });
    return raw === null || (raw as Document)['kind'] === 'absence' ? null : parseDelegation(raw);
  }

  /** The ids of the groups that list `person`, in id order: one find on the multikey index. */
  async groupsOf(person: string): Promise<string[]> {
    const docs = await this.groups
      .find({ members: person }, { sort: { _id: 1 }, projection: { _id: 1 }, hint: INDEX.member })
      .toArray();
    return docs.map((raw) => String(raw._id));
  }

  /** The person's recorded absence (past, current or future), if any. */
  async absenceOf(person: string): Promise<Absence | null> {
    const raw = await this.absences.findOne({ _id: person });
    return raw === null ? null : parseDoc(absenceSchema, raw, ABSENCES);
  }

  /** The people among `ids` that the directory knows, by id (one find). */
  async peopleAmong(ids: readonly string[]): Promise<Map<string, Person>> {
    if (ids.length === 0) return new Map();
    const docs = await this.people.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return new Map(docs.map((raw) => parseDoc(personSchema, raw, PEOPLE)).map((p) => [p._id, p]));
  }

  /** The ids among `ids` that name nobody, or someone who left, in the order given. */
  async notActiveAmong(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
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

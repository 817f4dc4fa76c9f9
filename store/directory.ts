// The directory in MongoDB: people, groups, managers, out-of-office and delegations. It answers the
// machine's `resolve` command exactly like the simulator's `resolveRefs` answers it from a world
// file (same order, same de-duplication, same problems), so a policy test that passes in the
// simulator means the same thing in production. On top it knows about absences, which the
// simulator does not model: an absent approver with a named delegate is replaced by the delegate.
//
// Why four collections rather than one document per person: each fact changes on its own (HR edits
// a manager, the person books leave, a group is reorganised). FerretDB v1 writes updates back as
// whole documents without re-checking, so facts sharing one document could overwrite each other.
import type { CollectionSpec } from './manifest.js';
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type { PersonRef, ResolveProblem } from '../engine/machine/types.js';
import { parseDoc } from './documents.js';

export const personSchema = z.object({
  _id: z.string(),
  // FerretDB v1 drops null fields given to `$setOnInsert`: absent reads as null.
  name: z.string().nullable().default(null),
  manager: z.string().nullable().default(null),
  active: z.boolean(),
});
export const groupSchema = z.object({ _id: z.string(), members: z.array(z.string()) });
export const absenceSchema = z.object({
  _id: z.string(),
  from: z.date(),
  to: z.date(),
  delegate: z.string().nullable(),
});
export const delegationSchema = z.object({
  _id: z.string(),
  from: z.string(),
  to: z.string(),
  start: z.date(),
  end: z.date(),
});

export type Person = z.infer<typeof personSchema>;
export type Group = z.infer<typeof groupSchema>;

export interface Resolution {
  people: string[];
  problems: { ref: PersonRef; problem: ResolveProblem }[];
  /** Absent people replaced by their delegates, so the audit can say why someone else decides. */
  substitutions: { person: string; delegate: string }[];
}

/** The organisation a world file describes (policies/shared/org.world.json). */
export interface WorldDirectory {
  groups: Record<string, string[]>;
  managers: Record<string, string>;
  people: string[];
}

const PEOPLE = 'directory_people';
const GROUPS = 'directory_groups';
const ABSENCES = 'directory_absences';
const DELEGATIONS = 'directory_delegations';

/** Thrown when a caller hands the directory something it cannot store truthfully. */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

export class Directory {
  private readonly people: Collection<Person>;
  private readonly groups: Collection<Group>;
  private readonly absences: Collection<z.infer<typeof absenceSchema>>;
  private readonly delegations: Collection<z.infer<typeof delegationSchema>>;

  constructor(db: Db) {
    this.people = db.collection(PEOPLE);
    this.groups = db.collection(GROUPS);
    this.absences = db.collection(ABSENCES);
    this.delegations = db.collection(DELEGATIONS);
  }

  async ensureIndexes(): Promise<void> {
    await this.people.createIndex({ manager: 1 }, { name: 'by_manager' });
    await this.absences.createIndex({ delegate: 1, from: 1 }, { name: 'by_delegate' });
    await this.delegations.createIndex({ to: 1, start: 1 }, { name: 'by_delegate' });
  }

  /** Creates or updates a person; fields left out keep their stored value (new people: active). */
  async upsertPerson(p: {
    id: string;
    name?: string;
    manager?: string | null;
    active?: boolean;
  }): Promise<void> {
    if (p.manager === p.id) throw new DirectoryError(`${p.id} cannot be their own manager`);
    const set: Partial<Person> = {};
    const onInsert: Partial<Person> = {};
    if (p.name !== undefined) set.name = p.name;
    else onInsert.name = null;
    if (p.manager !== undefined) set.manager = p.manager;
    else onInsert.manager = null;
    if (p.active !== undefined) set.active = p.active;
    else onInsert.active = true;
    await this.people.updateOne({ _id: p.id }, { $set: set, $setOnInsert: onInsert }, { upsert: true });
  }

  /**
   * Replaces a group's members. Members become known people (as in a world file), without touching
   * people already known: membership never re-activates someone who left.
   */
  async upsertGroup(g: { id: string; members: string[] }): Promise<void> {
    const members = [...new Set(g.members)];
    for (const member of members) await this.ensurePerson(member);
    await this.groups.updateOne({ _id: g.id }, { $set: { members } }, { upsert: true });
  }

  /** Records an absence; a later call replaces it (one absence per person is what HR tools keep). */
  async setOutOfOffice(person: string, a: { from: Date; to: Date; delegate: string | null }): Promise<void> {
    if (a.to.getTime() <= a.from.getTime())
      throw new DirectoryError(`the absence of ${person} ends before it starts`);
    if (a.delegate === person) throw new DirectoryError(`${person} cannot delegate to themselves`);
    await this.absences.updateOne({ _id: person }, { $set: { ...a } }, { upsert: true });
  }

  async addDelegation(d: { id: string; from: string; to: string; start: Date; end: Date }): Promise<void> {
    if (d.end.getTime() <= d.start.getTime())
      throw new DirectoryError(`delegation ${d.id} ends before it starts`);
    if (d.from === d.to)
      throw new DirectoryError(`delegation ${d.id}: ${d.from} cannot delegate to themselves`);
    const { id, ...rest } = d;
    await this.delegations.updateOne({ _id: id }, { $set: rest }, { upsert: true });
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
    // Fail loudly: every ref names someone or carries a problem, so only "no refs" could be empty.
    if (refs.length === 0) throw new DirectoryError('nothing to resolve: the approver list is empty');
    const people: string[] = [];
    const problems: Resolution['problems'] = [];
    for (const ref of refs) {
      const problem = await this.resolveOne(ref, people);
      if (problem !== null) problems.push({ ref, problem });
    }
    const { resolved, substitutions } = await this.substitute([...new Set(people)], at);
    return { people: resolved, problems, substitutions };
  }

  /**
   * Whose decisions `person` may take at `at`: explicit delegations in their date range, and the
   * absences that name `person` as delegate (tasks opened before the absence still name the absentee).
   */
  async delegatorsOf(person: string, at: Date): Promise<string[]> {
    const [delegations, absences] = await Promise.all([
      this.delegations.find({ to: person, start: { $lte: at }, end: { $gt: at } }).toArray(),
      this.absences.find({ delegate: person, from: { $lte: at }, to: { $gt: at } }).toArray(),
    ]);
    const from = [
      ...delegations.map((raw) => parseDoc(delegationSchema, raw, DELEGATIONS).from),
      ...absences.map((raw) => parseDoc(absenceSchema, raw, ABSENCES)._id),
    ];
    return [...new Set(from)].sort();
  }

  /** Makes the directory of a world file; running it twice changes nothing the second time. */
  async seedFromWorld(world: WorldDirectory): Promise<void> {
    for (const id of world.people) await this.ensurePerson(id);
    for (const [id, manager] of Object.entries(world.managers)) {
      await this.ensurePerson(manager);
      await this.upsertPerson({ id, manager });
    }
    for (const [id, members] of Object.entries(world.groups)) await this.upsertGroup({ id, members });
  }

  private async ensurePerson(id: string): Promise<void> {
    await this.people.updateOne(
      { _id: id },
      { $setOnInsert: { name: null, manager: null, active: true } },
      { upsert: true },
    );
  }

  private async activePerson(id: string): Promise<Person | null> {
    const found = await this.person(id);
    return found?.active === true ? found : null;
  }

  /** Pushes the people one reference names onto `people`, or says why it names nobody. */
  private async resolveOne(ref: PersonRef, people: string[]): Promise<ResolveProblem | null> {
    switch (ref.kind) {
      case 'group': {
        const group = await this.group(ref.group);
        if (group === null) return 'unknown group';
        const active = await this.activeAmong(group.members);
        // A group whose every member left is as empty as one nobody was ever put in.
        if (active.length === 0) return 'empty group';
        people.push(...active);
        return null;
      }
      case 'person':
        if ((await this.activePerson(ref.person)) === null) return 'unknown person';
        people.push(ref.person);
        return null;
      case 'managerOf': {
        const subject = await this.activePerson(ref.person);
        if (subject === null) return 'unknown person';
        if (subject.manager === null || (await this.activePerson(subject.manager)) === null)
          return 'no manager';
        people.push(subject.manager);
        return null;
      }
    }
  }

  private async activeAmong(ids: readonly string[]): Promise<string[]> {
    const docs = await this.people.find({ _id: { $in: [...ids] } }).toArray();
    const inactive = new Set(
      docs
        .map((raw) => parseDoc(personSchema, raw, PEOPLE))
        .filter((p) => !p.active)
        .map((p) => p._id),
    );
    return ids.filter((id) => !inactive.has(id));
  }

  /**
   * One hop only: a delegate who is away too is still asked, rather than following a chain that may
   * loop or end with someone the policy author never meant. A delegate who is unknown or inactive is
   * ignored and the absentee stays, so the step waits visibly instead of going to nobody.
   */
  private async substitute(
    people: readonly string[],
    at: Date,
  ): Promise<{ resolved: string[]; substitutions: Resolution['substitutions'] }> {
    const away = await this.absences
      .find({ _id: { $in: [...people] }, from: { $lte: at }, to: { $gt: at } })
      .toArray();
    const delegateOf = new Map<string, string>();
    for (const raw of away) {
      const absence = parseDoc(absenceSchema, raw, ABSENCES);
      if (absence.delegate !== null && (await this.activePerson(absence.delegate)) !== null) {
        delegateOf.set(absence._id, absence.delegate);
      }
    }
    const substitutions: Resolution['substitutions'] = [];
    const resolved = people.map((person) => {
      const delegate = delegateOf.get(person);
      if (delegate === undefined) return person;
      substitutions.push({ person, delegate });
      return delegate;
    });
    return { resolved: [...new Set(resolved)], substitutions };
  }
}

/** This module's collections and the indexes its queries use (store/manifest.ts). */
export const directoryCollections: CollectionSpec[] = [];

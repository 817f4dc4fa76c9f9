// How to reach people and what they chose to be told: two optional fields on the directory's person
// documents (`directory_people`, store/directory.ts), `delivery` (a DeliveryProfile: mail address,
// chat target, zone, working hours) and `preferences` (NotificationPreferences: channels per kind,
// digest, quiet hours). They live on the person because they are read with the person, one `_id`
// batch per notifier round, and because the CSV import that sets them also creates the people.
//
// What guards what:
// - Reads never fail for lack of settings: a person nobody configured, a field left out, a notice
//   kind added after the preferences were saved, all read as the defaults of engine/notices/types.ts
//   (defaultProfile, defaultPreferences), filled per field and per kind.
// - A profile is set field by field (`delivery.<field>`), so an admin setting the zone and the person
//   setting their chat target at once both land; preferences are replaced whole (one screen saves
//   them together, the last save wins).
// - Settings change only for known people: the update is conditioned on `active: true`, one command.
//   Inactive people count as unknown, as in the directory's resolve.
// - The import keeps the directory's own rules: new people are active, a name change rewrites the
//   search keys in the same update (searchKeysOf, as Directory.upsertPerson does), people already
//   known keep what a row leaves out. One unordered bulk write for all rows.
import type { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import { z } from 'zod';
import type { DayName } from '../engine/ir/types.js';
import {
  CHANNELS,
  type DeliveryProfile,
  defaultPreferences,
  defaultProfile,
  NOTICE_KINDS,
  type NotificationPreferences,
} from '../engine/notices/types.js';
import { DELEGATIONS, delegationSchema, DirectoryError, INDEX, PEOPLE } from './directory.js';
import { searchKeysOf } from './directory-search.js';
import { parseDoc } from './documents.js';

export interface DeliverySettingsOf {
  profile: DeliveryProfile;
  preferences: NotificationPreferences;
  /** The directory has the person and they are active. */
  known: boolean;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly DayName[];
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

const profileSchema = z.strictObject({
  email: z.string().min(1).nullable(),
  chat: z.strictObject({ format: z.enum(['slack', 'teams']), url: z.string().min(1) }).nullable(),
  zone: z.string().min(1),
  workingHours: z.strictObject({ days: z.array(z.enum(DAYS)), from: clockTime, to: clockTime }),
});
/** What `setProfile` and the import accept: any of the profile's fields, each whole. */
const profileFieldsSchema = profileSchema.partial();

const quietHoursSchema = z.strictObject({ from: clockTime, to: clockTime }).nullable();
const preferencesSchema = z.strictObject({
  channels: z.record(z.enum(NOTICE_KINDS), z.array(z.enum(CHANNELS))),
  digest: z.boolean(),
  quietHours: quietHoursSchema,
});

/**
 * Settings as stored, read permissively: each field may be missing (filled from the defaults), and
 * channels may name kinds this Charter no longer has (ignored) or lack new ones (defaulted).
 */
const settingsDocSchema = z.object({
  _id: z.string(),
  active: z.boolean(),
  delivery: profileSchema.partial().optional(),
  preferences: z
    .object({
      channels: z.record(z.string(), z.array(z.enum(CHANNELS))).optional(),
      digest: z.boolean().optional(),
      quietHours: quietHoursSchema.optional(),
    })
    .optional(),
});
type SettingsDoc = z.infer<typeof settingsDocSchema>;

/** The part of a person document this module reads and writes (directory.ts owns the rest). */
interface PersonDoc {
  _id: string;
  name?: string | null;
  manager?: string | null;
  active?: boolean;
  searchKeys?: string[];
  delivery?: Partial<DeliveryProfile>;
  preferences?: NotificationPreferences;
}

function profileOf(id: string, stored: SettingsDoc['delivery']): DeliveryProfile {
  const profile = defaultProfile(id);
  return {
    email: stored?.email === undefined ? profile.email : stored.email,
    chat: stored?.chat === undefined ? profile.chat : stored.chat,
    zone: stored?.zone ?? profile.zone,
    workingHours: stored?.workingHours ?? profile.workingHours,
  };
}

function preferencesOf(stored: SettingsDoc['preferences']): NotificationPreferences {
  const defaults = defaultPreferences();
  const channels = Object.fromEntries(
    NOTICE_KINDS.map((kind) => [kind, stored?.channels?.[kind] ?? defaults.channels[kind]]),
  ) as NotificationPreferences['channels'];
  return {
    channels,
    digest: stored?.digest ?? defaults.digest,
    quietHours: stored?.quietHours === undefined ? defaults.quietHours : stored.quietHours,
  };
}

/** `$set` paths of the given profile fields (`delivery.zone`, ...), checked; fields left out are absent. */
function profilePaths(id: string, profile: Partial<DeliveryProfile>): Document {
  const parsed = profileFieldsSchema.safeParse(profile);
  if (!parsed.success) {
    throw new DirectoryError(`invalid delivery profile for ${id}: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  const paths: Document = {};
  for (const [field, value] of Object.entries(parsed.data)) {
    if (value !== undefined) paths[`delivery.${field}`] = value;
  }
  return paths;
}

/** Plain string order, the same in every locale (and the database's). */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class DeliverySettings {
  private readonly people: Collection<PersonDoc>;
  private readonly delegations: Collection<{ _id: string }>;

  constructor(db: Db) {
    this.people = db.collection<PersonDoc>(PEOPLE);
    this.delegations = db.collection(DELEGATIONS);
  }

  /**
   * The settings of each of `ids`, defaults filled in: one find by `_id` `$in` (unhinted and alone
   * in the filter, which SecantusDB 0.7 serves from its `_id` path).
   */
  async of(ids: readonly string[]): Promise<Map<string, DeliverySettingsOf>> {
    const wanted = [...new Set(ids)];
    const stored = new Map<string, SettingsDoc>();
    if (wanted.length > 0) {
      const raws = await this.people
        .find({ _id: { $in: wanted } }, { projection: { active: 1, delivery: 1, preferences: 1 } })
        .toArray();
      for (const raw of raws) stored.set(String(raw._id), parseDoc(settingsDocSchema, raw, PEOPLE));
    }
    return new Map(
      wanted.map((id) => {
        const doc = stored.get(id);
        return [
          id,
          {
            profile: profileOf(id, doc?.delivery),
            preferences: preferencesOf(doc?.preferences),
            known: doc?.active === true,
          },
        ];
      }),
    );
  }

  /** Sets the given profile fields of a known person; the others keep their value. */
  async setProfile(id: string, profile: Partial<DeliveryProfile>): Promise<void> {
    const paths = profilePaths(id, profile);
    if (Object.keys(paths).length === 0) {
      if ((await this.people.findOne({ _id: id }, { projection: { active: 1 } }))?.active !== true) {
        throw new DirectoryError(`unknown person ${id}`);
      }
      return;
    }
    const result = await this.people.updateOne({ _id: id, active: true }, { $set: paths });
    if (result.matchedCount === 0) throw new DirectoryError(`unknown person ${id}`);
  }

  /** Replaces a known person's preferences whole. */
  async setPreferences(id: string, preferences: NotificationPreferences): Promise<void> {
    const parsed = preferencesSchema.safeParse(preferences);
    if (!parsed.success) {
      throw new DirectoryError(`invalid preferences for ${id}: ${parsed.error.issues[0]?.message ?? ''}`);
    }
    const result = await this.people.updateOne(
      { _id: id, active: true },
      { $set: { preferences: parsed.data } },
    );
    if (result.matchedCount === 0) throw new DirectoryError(`unknown person ${id}`);
  }

  /**
   * Upserts the people of a CSV import with their delivery profiles: name and manager when a row
   * gives them (new people without one get none), new people active, the search keys rewritten
   * with the name. One bulk write; `created` people were new, `updated` ones were known.
   */
  async importPeople(
    rows: readonly {
      id: string;
      name?: string;
      manager?: string | null;
      profile: Partial<DeliveryProfile>;
    }[],
  ): Promise<{ created: number; updated: number }> {
    if (rows.length === 0) return { created: 0, updated: 0 };
    const ops: AnyBulkWriteOperation<PersonDoc>[] = rows.map((row) => {
      if (row.manager === row.id) throw new DirectoryError(`${row.id} cannot be their own manager`);
      const set: Document = profilePaths(row.id, row.profile);
      const onInsert: Document = { active: true };
      // The keys change with the name, in the same update: a search never finds a stale name.
      if (row.name !== undefined) {
        set['name'] = row.name;
        set['searchKeys'] = searchKeysOf(row.id, row.name);
      } else {
        onInsert['name'] = null;
        onInsert['searchKeys'] = searchKeysOf(row.id, null);
      }
      if (row.manager !== undefined) set['manager'] = row.manager;
      else onInsert['manager'] = null;
      const update =
        Object.keys(set).length === 0 ? { $setOnInsert: onInsert } : { $set: set, $setOnInsert: onInsert };
      return { updateOne: { filter: { _id: row.id }, update, upsert: true } };
    });
    const result = await this.people.bulkWrite(ops, { ordered: false });
    return { created: result.upsertedCount, updated: result.matchedCount };
  }

  /**
   * The delegations in effect at `at` from any of `people` (explicit ones and absences' stand-ins):
   * who else holds their tasks and may be told. One find on the `parties` index (a delegation names
   * both its parties there), kept to those the people give, in (from, to) order.
   */
  async delegatesOf(people: readonly string[], at: Date): Promise<{ from: string; to: string }[]> {
    const wanted = [...new Set(people)];
    if (wanted.length === 0) return [];
    const raws = await this.delegations
      .find(
        { parties: { $in: wanted }, from: { $in: wanted }, start: { $lte: at }, end: { $gt: at } },
        { hint: INDEX.delegationParty, projection: { from: 1, to: 1 } },
      )
      .toArray();
    const pairs = new Map<string, { from: string; to: string }>();
    for (const raw of raws) {
      const { from, to } = parseDoc(delegationSchema.pick({ from: true, to: true }), raw, DELEGATIONS);
      pairs.set(JSON.stringify([from, to]), { from, to });
    }
    return [...pairs.values()].sort((a, b) => byCodeUnits(a.from, b.from) || byCodeUnits(a.to, b.to));
  }
}

// People search for the console's person pickers and @mention completion: what someone types
// ("rit", "sommer", "Rita S", "rita.sommer@") matches the start of a person's id, of their whole
// display name, or of any word of it, case- and accent-insensitively.
//
// Served by one index: each person document carries `searchKeys`, its id, name and name words
// folded (lower case, accents removed), written by the same update that writes the name (so the
// two never disagree), and a search is one range `[prefix, prefix + U+FFFF)` inside `$elemMatch`
// on the multikey index. Not a prefix regex: SecantusDB 0.7 answers an unhinted anchored regex
// beside another condition with nothing, and the range is the index bound MongoDB would make of
// the regex anyway. `$elemMatch`, because two bounds on an array field without it may be met by
// two different keys ("p010@…" is ≥ "p00" and "name" is < "p00\uffff").
import type { Db, Document, Filter } from 'mongodb';
import type { IndexSpec } from './manifest.js';

export const PEOPLE_SEARCH_INDEX = 'by_search_key';

/** At most this many people answer a search: a picker shows a handful, people type on. */
export const MAX_SEARCH_RESULTS = 20;

export const peopleSearchIndex: IndexSpec = {
  name: PEOPLE_SEARCH_INDEX,
  key: { searchKeys: 1, _id: 1 },
  serves: 'people whose id, name or a name word starts with what was typed (DirectoryQueries.searchPeople)',
};

/** Lower case without accents or repeated spaces: "  Jürgen  Groß" and "jurgen gross" alike. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en')
    .replace(/ß/g, 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a person is found by: the folded id, the folded name, and each word of the name. */
export function searchKeysOf(id: string, name: string | null): string[] {
  const keys = [foldForSearch(id)];
  if (name !== null) {
    const folded = foldForSearch(name);
    keys.push(folded, ...folded.split(/[\s-]+/));
  }
  return [...new Set(keys.filter((key) => key !== ''))];
}

/** The filter of a search for `typed`; null when nothing searchable was typed. */
export function searchFilter(typed: string): Filter<Document> | null {
  const prefix = foldForSearch(typed);
  if (prefix === '') return null;
  return { searchKeys: { $elemMatch: { $gte: prefix, $lt: `${prefix}\uffff` } }, active: true };
}

/**
 * Gives every person stored before search keys existed their keys (idempotent: a second run finds
 * nobody to update). For the schema migration that introduces them (store/schema.ts).
 */
export async function addMissingSearchKeys(db: Db): Promise<number> {
  const people = db.collection<{ _id: string; name?: string | null; searchKeys?: string[] }>(
    'directory_people',
  );
  const missing = await people
    .find({ searchKeys: { $exists: false } }, { projection: { name: 1 } })
    .toArray();
  if (missing.length === 0) return 0;
  await people.bulkWrite(
    missing.map((person) => ({
      updateOne: {
        filter: { _id: person._id },
        update: { $set: { searchKeys: searchKeysOf(person._id, person.name ?? null) } },
      },
    })),
    { ordered: false },
  );
  return missing.length;
}

// What an admin's directory edit changed, for the ledger's admin chain: a created entry, or the
// fields that differ, old and new. An edit that changed nothing (a PUT sent again) writes nothing:
// the chain records changes, not requests. Approver resolution reads the directory, so who put whom
// into `cab`, and who became whose manager, is what an auditor asks about a past decision.
import type { Store } from '../../store/index.js';
import type { Caller } from '../route.js';

interface Change {
  field: string;
  from: string;
  to: string;
}

const shown = (value: string | boolean | null | undefined): string =>
  value === null || value === undefined ? '(none)' : String(value);

interface PersonFields {
  name: string | null;
  manager: string | null;
  active: boolean;
}

export function personChanges(before: PersonFields, after: PersonFields): Change[] {
  const fields = ['name', 'manager', 'active'] as const;
  return fields.flatMap((field) =>
    before[field] === after[field] ? [] : [{ field, from: shown(before[field]), to: shown(after[field]) }],
  );
}

/** Members added and removed, named (a group's whole list can run to thousands). */
export function groupChanges(before: readonly string[], after: readonly string[]): Change[] {
  const was = new Set(before);
  const is = new Set(after);
  const added = after.filter((m) => !was.has(m));
  const removed = before.filter((m) => !is.has(m));
  const changes: Change[] = [];
  if (added.length > 0) changes.push({ field: 'members added', from: '', to: added.join(', ') });
  if (removed.length > 0) changes.push({ field: 'members removed', from: removed.join(', '), to: '' });
  return changes;
}

/** Writes the edit on the admin chain, unless it created nothing and changed nothing. */
export async function recordDirectoryEdit(
  store: Store,
  caller: Caller,
  at: Date,
  entry: {
    kind: 'person' | 'group';
    id: string;
    created: boolean;
    changes: Change[];
    ended?: { sessionsEnded: number; tokensRevoked: string[] };
  },
): Promise<void> {
  if (!entry.created && entry.changes.length === 0) return;
  await store.adminLog.record({
    key: `directory:${entry.kind}:${entry.id}:${at.toISOString()}:${caller.person}`,
    at,
    actor: caller.person,
    fact: {
      kind: 'directoryChanged',
      entry: entry.kind,
      id: entry.id,
      created: entry.created,
      changes: entry.changes,
      by: caller.person,
      ...(entry.ended ? { ended: entry.ended } : {}),
    },
  });
}

/**
 * Writes a CSV import of people on the admin chain: one event, whoever it added and whose name or
 * manager it changed (`before` and `after` are those people as the directory had them).
 */
export async function recordPeopleImport(
  store: Store,
  caller: Caller,
  at: Date,
  rows: readonly { id: string }[],
  before: ReadonlyMap<string, PersonFields>,
  after: ReadonlyMap<string, PersonFields>,
): Promise<void> {
  const ids = [...new Set(rows.map((r) => r.id))];
  const added = ids.filter((id) => !before.has(id));
  const changed = ids.flatMap((id) => {
    const was = before.get(id);
    const is = after.get(id);
    const changes = was === undefined || is === undefined ? [] : personChanges(was, is);
    return changes.length > 0 ? [{ id, changes }] : [];
  });
  await store.adminLog.record({
    key: `directory:import:${at.toISOString()}:${caller.person}`,
    at,
    actor: caller.person,
    fact: { kind: 'peopleImported', rows: rows.length, added, changed, by: caller.person },
  });
}

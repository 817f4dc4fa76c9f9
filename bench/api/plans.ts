// Why the two measured routes read through keyed lists (store/keyed-list.ts), printed before
// the load: the server's plan for the find an index would serve on MongoDB (on FerretDB v1: no
// pushdown, every document decoded) next to the plan of the `_id` look-ups the routes make instead.
// FerretDB v1 answers explain in its own shape (pushdown flags and the backend's plan), so we print
// what there is, trimmed.
import type { Db, Document } from 'mongodb';
import type { SeedWorld } from './seed.js';

const NO_DEADLINE_SORT = { dueKey: 1, openedAt: 1, _id: 1 } as const;

function summarize(explained: Document): string {
  const interesting: Record<string, unknown> = {};
  for (const key of ['queryPlanner', 'pushdown', 'sortingPushdown', 'limitPushdown', 'serverInfo']) {
    if (key in explained) interesting[key] = explained[key];
  }
  const text = JSON.stringify(Object.keys(interesting).length > 0 ? interesting : explained);
  return text.length > 1_500 ? `${text.slice(0, 1_500)}...` : text;
}

export async function describePlans(db: Db, world: SeedWorld): Promise<string> {
  const from = new Date(Date.UTC(world.from.getUTCFullYear(), 5, 1));
  const to = new Date(Date.UTC(world.from.getUTCFullYear(), 6, 1));
  const audit = await db
    .collection('audit')
    .find({ project: world.projects[3], at: { $gte: from, $lt: to } })
    .sort({ at: 1, _id: 1 })
    .limit(51)
    .explain();
  const inbox = await db
    .collection('tasks')
    .find({ assignees: { $in: [world.approvers[3]] }, status: 'open' })
    .sort(NO_DEADLINE_SORT)
    .limit(51)
    .explain();
  const keyed = await db
    .collection('audit_by_day_digests')
    .find({ _id: `p:${world.projects[3]}|2025-06-01` as never })
    .explain();
  return (
    `plan: audit find by project and month: ${summarize(audit)}\nplan: inbox find: ${summarize(inbox)}\n` +
    `plan: the routes' keyed look-up instead: ${summarize(keyed)}`
  );
}

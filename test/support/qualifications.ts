// A simulated world's qualification registry written to a real store, so that the worker answers
// a step that requires qualifications exactly as the simulator does: each qualification with its
// validity (a completion's expiry is computed by the store from it, as the simulator computes it),
// then every completion, as the PMO would record them.
import type { World } from '../../engine/simulate/index.js';
import type { Store } from '../../store/index.js';

const RECORDED_BY = 'pmo-training@halden.example';

export async function seedQualifications(
  store: Store,
  registry: World['qualifications'],
  at = new Date(),
): Promise<void> {
  for (const [id, entry] of Object.entries(registry ?? {})) {
    await store.qualifications.create(
      id,
      { name: id, description: null, validityMonths: entry.validityMonths },
      RECORDED_BY,
      at,
    );
    const rows = Object.entries(entry.completed).flatMap(([person, days]) =>
      days.map((completedOn) => ({
        person,
        qualification: id,
        completedOn,
        source: 'admin' as const,
        evidence: null,
      })),
    );
    if (rows.length > 0) await store.qualifications.importCompletions(rows, RECORDED_BY, at);
  }
}

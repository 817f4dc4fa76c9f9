// What an operator's dashboard shows of the whole installation, read from the database (so every
// API process reports the same numbers, however many there are): open and overdue tasks, the
// outbox's backlog and lag, mail deliveries by status, instances started and ended by policy and
// outcome and SLA breaches by policy (the dashboards' all-time cells, as far as the fold got), and
// the size of the ledger. A handful of counts and one read of the all-time cells: cheap enough to
// read on a scrape, and the API caches it for a few seconds anyway (api/metrics.ts).
import type { Collection, Db, Document } from 'mongodb';
import { COLLECTION as AUDIT } from './audit-event.js';
import { outcomeOfCounter } from './dashboard-model.js';
import type { DashboardStore } from './dashboards.js';
import type { Deliveries } from './deliveries.js';
import type { Outbox } from './outbox.js';

const TASKS = 'tasks';

export interface OperationsSnapshot {
  openTasks: number;
  /** Open tasks past their deadline now: the SLA breaches still running. */
  overdueTasks: number;
  outboxPending: number;
  /** When the oldest undelivered outbox item happened; null when none waits. */
  outboxOldest: Date | null;
  deliveries: Record<string, number>;
  /** Instances per policy and outcome (`started`, `approved`, ...) since the first event. */
  instances: { policy: string; outcome: string; n: number }[];
  /** SLA breaches per policy since the first event (a task that passed its deadline open). */
  slaBreaches: { policy: string; n: number }[];
  ledgerEvents: number;
  /** How far the dashboards' fold has got: the instant of the last event it folded. */
  foldedUpTo: Date | null;
}

export class OperationsGauges {
  private readonly tasks: Collection<Document>;
  private readonly audit: Collection<Document>;

  constructor(
    db: Db,
    private readonly outbox: Outbox,
    private readonly deliveries: Deliveries,
    private readonly dashboards: DashboardStore,
  ) {
    this.tasks = db.collection(TASKS);
    this.audit = db.collection(AUDIT);
  }

  async snapshot(now: Date): Promise<OperationsSnapshot> {
    const [
      openTasks,
      overdueTasks,
      outboxPending,
      outboxOldest,
      deliveries,
      instances,
      breaches,
      ledgerEvents,
      freshness,
    ] = await Promise.all([
      this.tasks.countDocuments({ status: 'open' }, { hint: 'tasks_open_by_age' }),
      this.tasks.countDocuments({ status: 'open', dueKey: { $lt: now } }, { hint: 'tasks_open_by_age' }),
      this.outbox.pending(),
      this.outbox.oldestUnfinished(),
      this.deliveries.countByStatus(),
      this.dashboards.read({ figure: 'instancesAll', allTime: true }),
      this.dashboards.read({ figure: 'breachByAll', allTime: true }),
      // The collection's count from its metadata: exact on a clean shutdown, never a scan.
      this.audit.estimatedDocumentCount(),
      this.dashboards.freshness(),
    ]);
    const byOutcome = new Map<string, { policy: string; outcome: string; n: number }>();
    for (const cell of instances) {
      for (const [field, n] of Object.entries(cell.n)) {
        const { outcome } = outcomeOfCounter(field);
        const key = `${cell.policy}\n${outcome}`;
        const entry = byOutcome.get(key) ?? { policy: cell.policy, outcome, n: 0 };
        entry.n += n;
        byOutcome.set(key, entry);
      }
    }
    const byPolicy = new Map<string, number>();
    for (const cell of breaches) {
      const total = Object.values(cell.n).reduce((a, b) => a + b, 0);
      byPolicy.set(cell.policy, (byPolicy.get(cell.policy) ?? 0) + total);
    }
    return {
      openTasks,
      overdueTasks,
      outboxPending,
      outboxOldest,
      deliveries,
      instances: [...byOutcome.values()],
      slaBreaches: [...byPolicy].map(([policy, n]) => ({ policy, n })),
      ledgerEvents,
      foldedUpTo: freshness.asOf,
    };
  }
}

// `/metrics` in Prometheus's text format (prom-client). Two kinds of figures:
//  - this process's: HTTP requests by route template and status with a latency histogram, workflow
//    starts and Update latency (a Temporal client interceptor, so every Update the API sends is
//    measured, whoever sends it), and Node's own (event loop lag, heap, GC).
//  - the installation's, read from the database (store/operations.ts), the same from every API
//    process: open and overdue tasks, outbox backlog and lag, mail deliveries by status, instances
//    by policy and outcome, SLA breaches by policy, ledger size, how far the dashboards' fold got.
//    Read at most every SNAPSHOT_TTL_MS however many scrapers ask, so scrapes cannot load the database.
// The worker's own figures (activity failures and retries, task latencies) come from Temporal's
// runtime exporter in the worker process (CHARTER_WORKER_METRICS_ADDRESS, workflows/worker-main.ts).
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OperationsSnapshot, Store } from '../store/index.js';

const SNAPSHOT_TTL_MS = 10_000;
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const UPDATE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly updates: Histogram<'update' | 'result'>;
  private readonly starts: Counter<'workflow' | 'result'>;
  private snapshot: { at: number; value: Promise<OperationsSnapshot> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'charter_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'charter_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route template',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.updates = new Histogram({
      name: 'charter_workflow_update_duration_seconds',
      help: 'Temporal Updates sent by this API process (decide, attest, waive, cancel, report), until the workflow answered',
      labelNames: ['update', 'result'],
      buckets: UPDATE_BUCKETS,
      registers,
    });
    this.starts = new Counter({
      name: 'charter_workflow_starts_total',
      help: 'Workflows started by this API process, by workflow type and result',
      labelNames: ['workflow', 'result'],
      registers,
    });
    this.installationGauges();
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  /** For the API's Temporal client: times every Update and counts every start. */
  clientInterceptor(): WorkflowClientInterceptor {
    return {
      startWithDetails: async (input, next) => {
        try {
          const out = await next(input);
          this.starts.inc({ workflow: input.workflowType, result: 'started' });
          return out;
        } catch (error) {
          this.starts.inc({ workflow: input.workflowType, result: 'failed' });
          throw error;
        }
      },
      startUpdate: async (input, next) => {
        const end = this.updates.startTimer({ update: input.updateName });
        try {
          const out = await next(input);
          end({ result: 'answered' });
          return out;
        } catch (error) {
          end({ result: 'failed' });
          throw error;
        }
      },
    };
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** The installation's figures, read once per SNAPSHOT_TTL_MS (a failed read is retried next scrape). */
  private read(): Promise<OperationsSnapshot> {
    const at = Date.now();
    if (this.snapshot === null || at - this.snapshot.at > SNAPSHOT_TTL_MS) {
      const value = this.store.operations.snapshot(this.now());
      value.catch(() => (this.snapshot = null));
      this.snapshot = { at, value };
    }
    return this.snapshot.value;
  }

  private installationGauges(): void {
    const registers = [this.registry];
    const read = () => this.read();
    const now = this.now;
    const gauge = (name: string, help: string, value: (s: OperationsSnapshot) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(value(await read()));
        },
      });
    gauge(
      'charter_tasks_open',
      'Open tasks (approvals, attestations, waivers) in the installation',
      (s) => s.openTasks,
    );
    gauge(
      'charter_tasks_overdue',
      'Open tasks past their deadline now: SLA breaches still running',
      (s) => s.overdueTasks,
    );
    gauge('charter_outbox_pending', 'Webhook outbox items not delivered yet', (s) => s.outboxPending);
    gauge(
      'charter_outbox_lag_seconds',
      'Age of the oldest undelivered webhook outbox item (0 when none waits)',
      (s) => (s.outboxOldest === null ? 0 : Math.max(0, (now().getTime() - s.outboxOldest.getTime()) / 1000)),
    );
    // An instant, not an age: on a quiet installation nothing is left to fold, and an age would
    // grow all the same. Compared with the ledger's growth it says whether the fold keeps up.
    gauge(
      'charter_dashboards_folded_up_to_timestamp_seconds',
      'When the newest ledger event the dashboards have folded happened (Unix seconds; 0 before the first fold)',
      (s) => (s.foldedUpTo === null ? 0 : s.foldedUpTo.getTime() / 1000),
    );
    new Gauge({
      name: 'charter_deliveries',
      help: 'Mail and in-app notification deliveries by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const [status, n] of Object.entries(s.deliveries)) this.set({ status }, n);
      },
    });
    // Monotonic in the ledger, so counters: the values are set from the fold on every scrape.
    new Counter({
      name: 'charter_instances_total',
      help: 'Process instances by policy and outcome (started, approved, rejected, ...), as folded from the ledger',
      labelNames: ['policy', 'outcome'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const { policy, outcome, n } of s.instances) this.inc({ policy, outcome }, n);
      },
    });
    new Counter({
      name: 'charter_ledger_events_total',
      help: 'Events appended to the audit ledger (its collection count: events are never removed)',
      registers,
      async collect() {
        const s = await read();
        this.reset();
        this.inc(s.ledgerEvents);
      },
    });
    new Counter({
      name: 'charter_sla_breaches_total',
      help: 'Tasks that passed their deadline while open, by policy, as folded from the ledger',
      labelNames: ['policy'],
      registers,
      async collect() {
        const s = await read();
        this.reset();
        for (const { policy, n } of s.slaBreaches) this.inc({ policy }, n);
      },
    });
  }
}

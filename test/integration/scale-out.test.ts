// Scale-out, end to end: two `charter serve` and two `charter worker` processes against one Temporal
// and one database, as an operator runs them behind a load balancer. 50 instances are started
// through both APIs and decided through both; one worker is SIGKILLed when about half the decisions
// are in, and the other carries on alone. Every instance must still end as decided, its ledger hold
// each fact once on a chain that verifies, every webhook and chat notice reach the receiver once,
// and an Idempotency-Key have one effect whichever API each try reaches. Nothing is shared between
// the processes but Temporal and MongoDB, so nothing may depend on which process a request, a task
// or a queued message reaches.
//
// What bounds the run time: the killed worker's activities are only retried after their
// start-to-close time-out (30 s for the storage activities), as in crash.test.ts.
import { Client, Connection } from '@temporalio/client';
import type { Db, MongoClient } from 'mongodb';
import { openStore, type Store } from '../../store/index.js';
import { newSigningKeyPem, signingKeyFrom } from '../../workflows/ledger/keys.js';
import { ledgerSignerScheduleId } from '../../workflows/ledger/schedule.js';
import { reconcileScheduleId } from '../../workflows/monitors/schedules.js';
import { qualificationRemindersScheduleId } from '../../workflows/qualifications/schedule.js';
import {
  type CharterProcess,
  killAllCharterProcesses,
  servedUrl,
  startCharterProcess,
} from '../support/charter-process.js';
import { type ChatReceiver, startChatReceiver } from '../support/chat-receiver.js';
import {
  call,
  deliveryReport,
  HOOK_PATH,
  ledgerProblems,
  PEOPLE,
  POLICY_NAME,
  queuesDrained,
  seedScaleOut,
  tails,
  type Tokens,
} from '../support/scale-out.js';
import { connectMongo, databaseNameFor, taskQueueFor, temporalAddress } from '../support/services.js';
import { factsOf, sleep } from '../support/worker-process.js';

const INSTANCES = 50;
/** Requests in flight at once: a decision waits on its workflow and activity, a start hardly at all. */
const STARTS_IN_FLIGHT = 4;
const DECISIONS_IN_FLIGHT = 12;
/** Every fifth instance is rejected, so "ended as decided" is not just "ended". */
const rejects = (n: number): boolean => n % 5 === 4;

interface TaskJson {
  id: string;
  instanceId: string;
  status: string;
}

describe('two API processes and two workers on one Temporal and one database', () => {
  const database = databaseNameFor(import.meta.url);
  const taskQueue = taskQueueFor(import.meta.url);
  const pem = newSigningKeyPem();
  const key = signingKeyFrom(pem, 'scale-out key');
  let mongo: MongoClient;
  let db: Db;
  let store: Store;
  let connection: Connection;
  let client: Client;
  let receiver: ChatReceiver;
  let tokens: Tokens;
  let apis: [string, string];
  const procs: Record<string, CharterProcess> = {};
  /** Instance id to its number (the amount in its input, which decides approve or reject). */
  const numbers = new Map<string, number>();
  /** How long the four processes took to be ready, for the summary line. */
  let readyMs = 0;

  const start = async (n: number, api: string, token: string, requester: string, idempotencyKey?: string) =>
    call<{ instanceId: string }>(api, 'POST', '/v1/instances', token, {
      body: { policy: POLICY_NAME, process: 'request', input: { requester, amount: n } },
      ...(idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
    });

  /** Throws with every process's last lines: a timeout must say what the processes were doing. */
  const fail = (what: string): never => {
    throw new Error(`${what}\n${tails(procs)}`);
  };

  beforeAll(async () => {
    mongo = await connectMongo();
    db = mongo.db(database);
    await db.dropDatabase();
    store = await openStore(db);
    receiver = await startChatReceiver();
    tokens = await seedScaleOut(store, receiver);
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection });
    const common = { CHARTER_DATABASE: database, CHARTER_TASK_QUEUE: taskQueue };
    const serve = () =>
      startCharterProcess({
        command: 'serve',
        env: { ...common, CHARTER_API_PORT: '0' },
        ready: 'charter serve ready',
        readyTimeoutMs: 90_000,
      });
    // The same key and webhooks on both, as one configuration file deployed twice would give them.
    const worker = () =>
      startCharterProcess({
        command: 'worker',
        env: {
          ...common,
          CHARTER_SIGNING_KEY: pem,
          CHARTER_WEBHOOKS: JSON.stringify([
            { url: receiver.url(HOOK_PATH), secret: 'scale-out webhook secret' },
          ]),
          // Two approvers get a notice per instance: past the default 10 an hour they would go to a digest.
          CHARTER_NOTIFY_HOURLY_LIMIT: '10000',
        },
        ready: 'charter worker ready',
        readyTimeoutMs: 90_000,
      });
    const began = Date.now();
    const [api1, api2, worker1, worker2] = await Promise.all([serve(), serve(), worker(), worker()]);
    readyMs = Date.now() - began;
    Object.assign(procs, { 'API 1': api1, 'API 2': api2, 'worker 1': worker1, 'worker 2': worker2 });
    apis = [servedUrl(api1), servedUrl(api2)];
  }, 150_000);

  afterAll(async () => {
    // A failed run leaves instances waiting and the workers' schedules behind: the dev server is shared.
    await Promise.all([
      ...[...numbers.keys()].map((id) =>
        client?.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => null),
      ),
      ...[
        ledgerSignerScheduleId(taskQueue),
        qualificationRemindersScheduleId(taskQueue),
        reconcileScheduleId(taskQueue),
      ].map((id) =>
        client?.schedule
          .getHandle(id)
          .delete()
          .catch(() => null),
      ),
    ]);
    await killAllCharterProcesses();
    await receiver?.close();
    await connection?.close();
    await db?.dropDatabase();
    await mongo?.close();
  }, 60_000);

  test('when two workers start with the same signing key, then the admin chain records it once', async () => {
    const events = await db.collection('audit_events').find({ chain: 'admin' }).toArray();
    const added = events.filter((e) => {
      const fact = e['fact'] as { kind?: string; keyId?: string } | undefined;
      return fact?.kind === 'signingKeyAdded' && fact.keyId === key.keyId;
    });
    expect(added).toHaveLength(1);
    expect(await store.audit.verify({ chain: 'admin' })).toMatchObject({ ok: true });
  }, 30_000);

  test('when an Idempotency-Key is sent to API 1 and then to API 2, or to both at once, then it has one effect', async () => {
    const first = await start(0, apis[0], tokens.keyed[0], PEOPLE.keyed[0], 'scale-out-once');
    const again = await start(0, apis[1], tokens.keyed[0], PEOPLE.keyed[0], 'scale-out-once');
    expect(first).toMatchObject({ status: 201 });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again).toMatchObject({ status: 201, body: { instanceId: first.body.instanceId } });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    numbers.set(first.body.instanceId, 0);

    // At once: one runs; the other is the replay, or told the first is still running (409) and
    // then, asked again, the replay.
    const race = () =>
      Promise.all(apis.map((api) => start(1, api, tokens.keyed[1], PEOPLE.keyed[1], 'scale-out-race')));
    const answers = await race();
    const ran = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
    expect(ran).toHaveLength(1);
    for (const a of answers) {
      if (a === ran[0]) continue;
      if (a.status === 409) expect(a.body).toMatchObject({ error: { code: 'idempotency-in-progress' } });
      else expect(a.headers.get('idempotent-replayed')).toBe('true');
    }
    const replays = await race();
    for (const a of replays) {
      expect(a).toMatchObject({ status: 201, body: { instanceId: ran[0]!.body.instanceId } });
      expect(a.headers.get('idempotent-replayed')).toBe('true');
    }
    numbers.set(ran[0]!.body.instanceId, 1);
    // One instance each, once the worker wrote their views (any second start would show by then too).
    const deadline = Date.now() + 30_000;
    for (const [person, id] of [...numbers.keys()].map((id, i) => [PEOPLE.keyed[i]!, id] as const)) {
      while ((await store.views.get(id)) === null) {
        if (Date.now() > deadline) fail(`the view of ${id} never appeared`);
        await sleep(200);
      }
      const { instances } = await store.views.list({ startedBy: person }, { limit: 10 });
      expect(instances.map((v) => v.instanceId)).toEqual([id]);
    }
  }, 60_000);

  test('when 50 instances are started and decided through both APIs and a worker is SIGKILLed halfway, then every instance ends as decided and every fact, webhook and notice exists once', async () => {
    const t0 = Date.now();
    // Generous: on 2 busy cores half the decisions have taken 90 s; a real hang still fails here.
    const deadline = t0 + 240_000;
    const failures: string[] = [];

    // Starts: the two keyed instances are in already; the rest alternate between the APIs.
    const starting = (async () => {
      let next = numbers.size;
      await Promise.all(
        Array.from({ length: STARTS_IN_FLIGHT }, async () => {
          while (next < INSTANCES) {
            const n = next++;
            const answer = await start(n, apis[n % 2]!, tokens.requester, PEOPLE.requester);
            if (answer.status !== 201)
              failures.push(`start ${n} via API ${(n % 2) + 1}: ${answer.status} ${answer.text}`);
            else numbers.set(answer.body.instanceId, n);
          }
        }),
      );
    })();

    // Decisions: whichever API's approver polls finds every open task; each is decided through the
    // APIs in turn (with an Idempotency-Key, so a retried request could not decide twice).
    const dispatched = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    let accepted = 0;
    let killedAt: number | null = null;
    let runningAtKill = 0;
    const decide = async (task: TaskJson, side: 0 | 1): Promise<void> => {
      const reject = rejects(numbers.get(task.instanceId)!);
      const answer = await call(
        apis[side],
        'POST',
        `/v1/tasks/${encodeURIComponent(task.id)}/decide`,
        tokens.approvers[side],
        {
          body: reject ? { decision: 'reject', reason: 'over the limit' } : { decision: 'approve' },
          headers: { 'idempotency-key': `decide:${task.id}` },
          timeoutMs: 90_000,
        },
      );
      if (answer.status !== 200)
        throw new Error(`decide ${task.id} via API ${side + 1}: ${answer.status} ${answer.text}`);
    };
    for (let turn = 0; accepted < INSTANCES; turn++) {
      if (failures.length > 0) fail(`requests failed:\n${failures.join('\n')}`);
      if (Date.now() > deadline)
        fail(`only ${accepted} of ${INSTANCES} decisions accepted after ${Date.now() - t0} ms`);
      const side = (turn % 2) as 0 | 1;
      const inbox = await call<{ items: TaskJson[] }>(
        apis[side],
        'GET',
        '/v1/tasks/inbox?limit=500',
        tokens.approvers[side],
      );
      if (inbox.status !== 200) fail(`inbox via API ${side + 1}: ${inbox.status} ${inbox.text}`);
      for (const task of inbox.body.items) {
        if (task.status !== 'open' || dispatched.has(task.id) || !numbers.has(task.instanceId)) continue;
        while (inFlight.size >= DECISIONS_IN_FLIGHT) await Promise.race(inFlight);
        dispatched.add(task.id);
        const done: Promise<void> = decide(task, (dispatched.size % 2) as 0 | 1)
          .then(
            () => void accepted++,
            (error: unknown) => void failures.push(String(error)),
          )
          .finally(() => inFlight.delete(done));
        inFlight.add(done);
      }
      if (killedAt === null && accepted >= INSTANCES / 2) {
        await procs['worker 1']!.stop('SIGKILL');
        killedAt = Date.now();
        const views = await Promise.all([...numbers.keys()].map((id) => store.views.get(id)));
        runningAtKill = views.filter((v) => v?.status !== 'approved' && v?.status !== 'rejected').length;
      }
      await sleep(250);
    }
    await starting;
    await Promise.all(inFlight);
    if (failures.length > 0) fail(`requests failed:\n${failures.join('\n')}`);
    const decidedAt = Date.now();

    // Every instance ends: the survivor retries what the dead worker held once its time-outs pass
    // (30 s). Each one is checked as soon as it has ended, in two lanes, so that the checks
    // overlap that wait: through the APIs in turn, it reads as decided; its ledger holds each fact
    // once on a chain that verifies; histories tell which workers served the run.
    const ids = [...numbers.keys()];
    const expected = (id: string): 'approved' | 'rejected' =>
      rejects(numbers.get(id)!) ? 'rejected' : 'approved';
    const problems: string[] = [];
    const identities = new Set<string>();
    let events = 0;
    const check = async (id: string, side: number): Promise<void> => {
      const path = `/v1/instances/${encodeURIComponent(id)}`;
      const detail = await call<{ status: string }>(apis[side % 2]!, 'GET', path, tokens.admin);
      if (detail.status !== 200 || detail.body.status !== expected(id))
        problems.push(
          `${id}: API ${(side % 2) + 1} says ${detail.status} ${detail.body.status}, expected ${expected(id)}`,
        );
      const facts = await factsOf(client, store, id);
      events += facts.events.length;
      problems.push(...ledgerProblems(id, facts, expected(id)));
      // Until both workers were seen: a history fetch per instance costs the run seconds under load.
      if (identities.has(String(procs['worker 1']!.pid)) && identities.has(String(procs['worker 2']!.pid)))
        return;
      for (const e of (await client.workflow.getHandle(id).fetchHistory()).events ?? []) {
        const who =
          e.workflowTaskStartedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity;
        if (who) identities.add(who.split('@')[0]!);
      }
    };
    const lanes = [Promise.resolve(), Promise.resolve()];
    const queued = new Set<string>();
    const endBy = (killedAt ?? decidedAt) + 150_000;
    for (;;) {
      const views = await Promise.all(ids.map(async (id) => ({ id, view: await store.views.get(id) })));
      for (const { id, view } of views) {
        if (view === null || view.status === 'running' || queued.has(id)) continue;
        const n = queued.size;
        queued.add(id);
        lanes[n % 2] = lanes[n % 2]!.then(() =>
          check(id, n).catch((error: unknown) => void problems.push(`${id}: ${String(error)}`)),
        );
      }
      if (queued.size === ids.length) break;
      if (Date.now() > endBy) {
        const running = ids.filter((id) => !queued.has(id));
        fail(`${running.length} instances never ended: ${running.join(', ')}`);
      }
      await sleep(500);
    }
    const endedAt = Date.now();
    await Promise.all(lanes);
    expect(problems).toEqual([]);
    expect([...identities].sort()).toEqual(
      expect.arrayContaining([String(procs['worker 1']!.pid), String(procs['worker 2']!.pid)]),
    );
    // No instance but these in the database: no start ran twice, whichever API a retry reached.
    const all = await store.views.list({}, { limit: 500 });
    expect(all.instances.map((v) => v.instanceId).sort()).toEqual([...ids].sort());
    const left = await queuesDrained(db, Date.now() + 90_000);
    if (left.length > 0) fail(`deliveries never finished:\n${left.join('\n')}`);

    // Each webhook and chat notice received once (the receiver's count per delivery id).
    const approved = new Set(ids.filter((id) => expected(id) === 'approved'));
    const report = await deliveryReport(db, receiver, new Set(ids), (id) => (approved.has(id) ? 2 : 1));
    expect(report.problems).toEqual([]);
    expect(runningAtKill).toBeGreaterThan(0);

    const s = (at: number) => `${((at - t0) / 1000).toFixed(1)}s`;
    console.log(
      `scale-out: ${ids.length} instances (${approved.size} approved, ${ids.length - approved.size} rejected) ` +
        `through 2 APIs and 2 workers (ready in ${(readyMs / 1000).toFixed(1)}s); worker 1 SIGKILLed at ${killedAt === null ? '-' : s(killedAt)} with ` +
        `${runningAtKill} instances unfinished; all decided at ${s(decidedAt)}, all ended at ${s(endedAt)}, checked at ${s(Date.now())}; ` +
        `${events} audit events, ${report.webhooks} webhooks and ${report.chat} chat notices checked; ` +
        `redelivered after the kill's lease lapsed: ${report.redelivered.length === 0 ? 'none' : report.redelivered.join(', ')}`,
    );
  }, 540_000);
});

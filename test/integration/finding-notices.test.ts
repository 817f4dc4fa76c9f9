// The notices of a finding's life against the real store (workflows/monitors/finding-notices.ts):
// a run's opened finding queued for its owner on every channel under the ledger event's id, a
// retried run or alarm that queues nothing new, and the retry the brief warns about: an
// escalation whose first attempt wrote the ledger (and added its people to the finding) but died
// before posting. The retry computes that it adds nobody (the people are on the finding by then),
// and still tells the people the ledger says it added, with the ledger's fact.
import type { MongoClient } from 'mongodb';
import { openStore, type Store } from '../../store/index.js';
import { findingAlarm } from '../../workflows/monitors/finding-activities.js';
import { findingEventId, postFindingNotices } from '../../workflows/monitors/finding-notices.js';
import { findingsOf } from '../../workflows/monitors/findings-port.js';
import { findingFact } from '../../workflows/monitors/ledger.js';
import { runMonitor } from '../../workflows/monitors/run.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { projectFields, publishPolicy, sponsorsPolicy } from '../support/monitors.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

const POLICY = 'Protocol';
const ALICE = 'alice@halden.example';
const DANA = 'dana@halden.example';
/** Monday 7 December 2026, 08:00 in Berlin: the run's scheduled time. */
const RUN_AT = Date.parse('2026-12-07T08:00:00+01:00');
const ESCALATE_AT = Date.parse('2026-12-09T08:00:00+01:00');

describe('notices of a finding, posted as its facts are written', () => {
  let mongo: MongoClient;
  let store: Store;
  const database = databaseNameFor(import.meta.url);

  beforeAll(async () => {
    mongo = await connectMongo();
    await mongo.db(database).dropDatabase();
    store = await openStore(mongo.db(database));
    await store.directory.seedFromWorld({ groups: {}, managers: {}, people: [ALICE, DANA] });
    await publishPolicy(store, sponsorsPolicy(POLICY), {
      file: 'p.charter',
      by: 'pmo',
      at: new Date('2020-01-01T00:00:00Z'),
    });
    await store.projects.create(
      'PRJ-1',
      projectFields('build', ALICE, 'Unsponsored'),
      'pmo',
      new Date(RUN_AT),
    );
  });

  afterAll(async () => {
    await mongo?.db(database).dropDatabase();
    await mongo?.close();
  });

  const deps = () => ({ store, findings: findingsOf(store) });
  const run = () =>
    runMonitor(deps(), { policy: POLICY, monitor: 'sponsors_named', runAt: RUN_AT, runId: 'run-1' });
  const queued = async (eventId: string, person: string) =>
    (await store.deliveries.get(`${eventId}/${person}/inapp`))?.notices ?? [];

  test('when a run opens a finding, then its owner is queued once on every channel, also when the run is retried', async () => {
    const first = await run();
    expect(first.opened).toHaveLength(1);
    const finding = (await store.findings.get(first.opened[0]!))!;
    const opened = findingEventId(finding, 'opened');
    for (const channel of ['inapp', 'email', 'chat']) {
      expect(await store.deliveries.get(`${opened}/${ALICE}/${channel}`)).toMatchObject({
        status: 'pending',
        recipient: ALICE,
      });
    }
    const [notice] = await queued(opened, ALICE);
    expect(notice).toMatchObject({
      id: `${opened}/${ALICE}`,
      kind: 'finding',
      instance: null,
      finding: {
        id: finding.id,
        monitor: 'sponsors_named',
        project: 'PRJ-1',
        message: 'PRJ-1 has no sponsor',
      },
      cause: { kind: 'fact', fact: { kind: 'findingOpened', owners: [ALICE] } },
    });

    const again = await run();
    expect(again.opened).toEqual(first.opened);
    expect(await queued(opened, ALICE)).toEqual([notice]);
  });

  test('when an escalation is retried after its ledger write, then the people the ledger says it added are told', async () => {
    const [findingId] = (await run()).opened;
    const finding = (await store.findings.get(findingId!))!;
    const at = new Date(ESCALATE_AT);
    // The first attempt: dana added to the finding and the fact on the ledger, then it died.
    await store.findings.addPeople(finding.id, [DANA], at);
    await findingFact(store, finding, 'escalate:1', at, {
      kind: 'findingEscalated',
      monitor: 'sponsors_named',
      project: 'PRJ-1',
      added: [DANA],
      level: 1,
      problems: [],
    });
    const escalated = findingEventId(finding, 'escalate:1');
    expect(await queued(escalated, DANA)).toEqual([]);

    // The retry finds dana on the finding already, so it computes that it added nobody.
    const answer = await findingAlarm(deps(), {
      findingId: finding.id,
      alarm: { kind: 'escalate', level: 1, at: ESCALATE_AT },
    });
    expect(answer).toBe('done');
    const [toDana] = await queued(escalated, DANA);
    expect(toDana?.cause).toMatchObject({
      kind: 'fact',
      fact: { kind: 'findingEscalated', added: [DANA] },
    });
    const [toAlice] = await queued(escalated, ALICE);
    expect(toAlice?.recipient).toBe(ALICE);

    // Posting the same fact again queues nothing new, and each is listed once in the console.
    const fact = toDana!.cause.kind === 'fact' ? toDana!.cause.fact : null;
    await postFindingNotices(store, finding, fact!, escalated, at);
    const deliverer = new Deliverer(store, {
      publicUrl: 'https://charter.example.org',
      senders: { mail: null, chat: new ChatSender() },
      now: () => new Date(ESCALATE_AT),
    });
    while ((await deliverer.deliverDue()) > 0);
    const listed = await store.notifications.page(DANA, { cursor: null, limit: 10 });
    expect(listed.items.map((i) => i.id)).toEqual([`${escalated}/${DANA}`]);
  });
});

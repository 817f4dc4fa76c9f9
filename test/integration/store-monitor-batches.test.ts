// The writes of one monitor run's page, batched, against a real MongoDB server: FindingStore's
// openMany (a page of failing projects: one read of their keys, one unordered bulk write of the new
// findings and seen marks) and KeyedLedger's appendOnceMany (the page's facts on their findings'
// chains). Each answers as its one-at-a-time form does, a retry writes nothing twice, and two
// runs over the same projects at once still leave one live finding per key.
import { MANIFEST } from '../../store/index.js';
import { FindingStore, type OpenFinding } from '../../store/findings.js';
import { AuditLedger } from '../../store/audit.js';
import { KeyedLedger, type KeyedEvent } from '../../store/keyed-ledger.js';
import { recordCommands } from '../support/plans.js';
import { useStoreDatabase } from '../support/store-db.js';

const POLICY = { name: 'PMO protocol', version: 1, sha256: 'a'.repeat(64) };
const RUN1 = new Date('2027-03-01T07:00:00Z');
const RUN2 = new Date('2027-03-08T07:00:00Z');
const MARIA = 'maria@halden.example';
const DAY_MS = 24 * 3600 * 1000;

const runId = (at: Date): string => `monitor-run:${at.toISOString()}`;
const code = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(3, '0')}`;

const failing = (project: string, at: Date): OpenFinding => ({
  policy: POLICY,
  monitor: 'risk_review_current',
  project,
  runId: runId(at),
  runAt: at,
  day: at.toISOString().slice(0, 10),
  message: `${project} has had no risk review passed in the last 30 days`,
  why: 'no risk review',
  health: null,
  owners: [MARIA],
  waivers: [MARIA],
  dueAt: new Date(at.getTime() + 7 * DAY_MS),
});

const statuses = (outcomes: readonly { status: string }[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
};

describe('a run page of findings at once (openMany)', () => {
  const { client, db } = useStoreDatabase(import.meta.url, MANIFEST);
  let store: FindingStore;

  beforeAll(() => {
    store = new FindingStore(db());
  });

  test('when 600 projects fail, some seen before and one waived, then each gets the outcome open gives, in a few commands', async () => {
    const projects = Array.from({ length: 600 }, (_, i) => code('PAGE', i));
    // Earlier: 200 live findings from the first run, and one waived through the second run's day.
    for (const p of projects.slice(0, 200)) await store.open(failing(p, RUN1));
    const waived = await store.open(failing(projects[599]!, RUN1));
    await store.waive(waived.finding.id, MARIA, RUN1, '2027-03-31', 'exempt until the audit', null);

    const { result, commands } = await recordCommands(client(), () =>
      store.openMany(projects.map((p) => failing(p, RUN2))),
    );

    expect(statuses(result)).toEqual({ seen: 200, opened: 399, waived: 1 });
    expect(result.map((o) => o.finding.project)).toEqual(projects);
    expect(result[0]?.finding).toMatchObject({ lastSeenAt: RUN2, lastSeenRun: runId(RUN2), version: 2 });
    expect(result[300]?.finding).toMatchObject({ status: 'open', openedByRun: runId(RUN2), version: 1 });
    // Per 500 inputs: the keys' findings read, then the bulk write's inserts and updates.
    expect(commands.map((c) => c.name)).toEqual(['find', 'insert', 'update', 'find', 'insert']);
    const live = await db()
      .collection('findings')
      .countDocuments({ liveKey: { $exists: true } });
    expect(live).toBe(599);

    // The same run retried: the same answers, and nothing written.
    const { result: again, commands: retried } = await recordCommands(client(), () =>
      store.openMany(projects.map((p) => failing(p, RUN2))),
    );
    expect(again).toEqual(result);
    expect(retried.map((c) => c.name)).toEqual(['find', 'find']);
  });

  test('when two runs open the same 300 projects at once, then each key has one live finding, opened by one run and seen by the other', async () => {
    const projects = Array.from({ length: 300 }, (_, i) => code('RACE', i));
    const [first, second] = await Promise.all([
      store.openMany(projects.map((p) => failing(p, RUN1))),
      store.openMany(projects.map((p) => failing(p, RUN2))),
    ]);

    for (const [i, p] of projects.entries()) {
      expect([first?.[i]?.status, second?.[i]?.status].sort()).toEqual(['opened', 'seen']);
      expect(first?.[i]?.finding.id).toBe(second?.[i]?.finding.id);
      expect(first?.[i]?.finding.project).toBe(p);
    }
    const live = await db()
      .collection('findings')
      .countDocuments({ project: { $regex: '^RACE-' }, liveKey: { $exists: true } });
    expect(live).toBe(300);
  });
});

describe('a run page of ledger facts at once (appendOnceMany)', () => {
  const { client, db } = useStoreDatabase(`${import.meta.url}-ledger`, MANIFEST);
  let keyed: KeyedLedger;
  let audit: AuditLedger;

  beforeAll(() => {
    keyed = new KeyedLedger(db());
    audit = new AuditLedger(db());
  });

  const event = (chain: string, key: string, at: Date): KeyedEvent => ({
    chain,
    key,
    at,
    type: 'findingOpened',
    instanceId: chain,
    process: 'risk_review_current',
    project: chain,
    policy: POLICY,
    step: null,
    text: `${chain}: ${key}`,
    actor: null,
    onBehalfOf: null,
    outcome: null,
    reasons: [],
    span: null,
  });

  test('when 300 findings get a fact each, some chains holding events already, then each lands once at the end of its chain', async () => {
    const chains = Array.from({ length: 300 }, (_, i) => `finding:${code('F', i)}`);
    // A third of the chains have their opening fact already; one has two facts.
    for (const chain of chains.slice(0, 100)) await keyed.appendOnce(event(chain, 'opened', RUN1));
    await keyed.appendOnce(event(chains[0]!, 'remind:1', RUN1));

    const closing = chains.map((chain) => event(chain, 'closed:run-2', RUN2));
    const { result: wrote, commands } = await recordCommands(client(), () =>
      keyed.appendOnceMany([...closing, event(chains[299]!, 'opened', RUN1)]),
    );

    expect(wrote.every(Boolean)).toBe(true);
    // Is any there, the chains' ends, the append's own read, one insert, the heads in one write.
    expect(commands.map((c) => c.name)).toEqual(['find', 'find', 'find', 'insert', 'update']);
    expect((await audit.chainByName(chains[0]!)).map((e) => [e.seq, e.id])).toEqual([
      [1, `${chains[0]}#opened`],
      [2, `${chains[0]}#remind:1`],
      [3, `${chains[0]}#closed:run-2`],
    ]);
    expect((await audit.chainByName(chains[150]!)).map((e) => e.seq)).toEqual([1]);
    expect((await audit.chainByName(chains[299]!)).map((e) => e.id)).toEqual([
      `${chains[299]}#closed:run-2`,
      `${chains[299]}#opened`,
    ]);
    for (const chain of [chains[0]!, chains[150]!, chains[299]!])
      expect(await audit.verify({ chain })).toMatchObject({ ok: true });

    // Retried: nothing is written again.
    const again = await keyed.appendOnceMany(closing);
    expect(again.some(Boolean)).toBe(false);
    expect(await db().collection('audit_events').countDocuments({})).toBe(100 + 1 + 300 + 1);
  });
});

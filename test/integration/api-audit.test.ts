// The audit routes over real HTTP, on ledger events written the way the workflow activities write
// them (types started/action/decision/ended, the machine's sentences): filtered search with a
// cursor, CSV and JSON Lines exports of more than one page that an auditor can re-verify offline,
// chain verification that names a tampered event, the compliance summary's exact counts, and
// 403/422 for the wrong roles and bad filters.
import type { MongoClient } from 'mongodb';
import { canonicalJson, sha256Hex } from '../../engine/ir/index.js';
import type { AuditEventInput } from '../../store/index.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { connectMongo, databaseNameFor } from '../support/services.js';

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface EventJson {
  id: string;
  seq: number;
  at: string;
  type: string;
  actor: string | null;
  outcome: string | null;
  text: string;
  prevHash: string;
  hash: string;
}

const policy = { name: 'change-mgmt', version: 3, sha256: 'c'.repeat(64) };
const span = { file: 0, line: 4, col: 3, endLine: 4, endCol: 30 };

type Line = Partial<Pick<AuditEventInput, 'type' | 'step' | 'actor' | 'onBehalfOf' | 'outcome'>> & {
  text: string;
};

/** One instance's chain: `started`, then `lines` an hour apart from `start`. */
function instance(id: string, start: string, lines: Line[], project = 'erp-upgrade'): AuditEventInput[] {
  const t0 = Date.parse(start);
  const all: Line[] = [{ type: 'started', text: `change-request started by rita@halden.example` }, ...lines];
  return all.map((line, i) => ({
    chain: id,
    seq: i + 1,
    id: `${id}:${i + 1}`,
    at: new Date(t0 + i * 3_600_000),
    type: line.type ?? (line.actor ? 'action' : 'decision'),
    instanceId: id,
    process: 'change-request',
    project,
    policy,
    step: line.step ?? null,
    text: line.text,
    actor: line.actor ?? null,
    onBehalfOf: line.onBehalfOf ?? null,
    outcome: line.outcome ?? null,
    reasons: [],
    span: line.step ? span : null,
  }));
}

const ended = (outcome: string, message: string): Line => ({
  type: 'ended',
  text: `process ended ${outcome}: ${message}`,
  outcome,
});

const MARCH = '2026-03-02T09:00:00.000Z';
const scenario: AuditEventInput[][] = [
  // A: a plain approval (with a change request first): compliant.
  instance('i-a', MARCH, [
    { step: 'cab', text: 'cab opened: resolving approvers' },
    { step: 'cab', actor: 'grace', text: 'grace requested changes to cab: add a rollback plan' },
    { step: 'cab', actor: 'carol', text: 'carol approved cab: fine, with "rollback", too' },
    { step: 'cab', text: 'cab approved: quorum met (1 of 1 needed)' },
    ended('approved', 'all steps done'),
  ]),
  // B: a failed check, waived by a delegate, then approved: compliant.
  instance('i-b', MARCH, [
    { step: 'scan', text: 'scan failed: 3 critical findings; a waiver is required by Mon 9 Mar 09:00' },
    {
      step: 'scan',
      actor: 'dave',
      onBehalfOf: 'erin',
      text: 'dave on behalf of erin waived scan until Mon 6 Apr (scan failed: 3 critical findings): accepted',
    },
    ended('approved', 'all steps done'),
  ]),
  // C: a flagged check and still approved: not compliant.
  instance('i-c', MARCH, [
    { step: 'budget', text: 'budget 12000 > 10000; continued flagged: over budget' },
    ended('approved', 'all steps done'),
  ]),
  // D: the SLA ran out and `on timeout reject` rejected it.
  instance('i-d', MARCH, [
    { step: 'cab', text: 'cab rejected by timeout: no decision by Fri 6 Mar 17:00' },
    ended('rejected', 'cab rejected by timeout: no decision by Fri 6 Mar 17:00'),
  ]),
  // E: escalated on timeout, then rejected by the added approver.
  instance('i-e', MARCH, [
    { step: 'cab', text: 'cab: no decision by Fri 6 Mar 17:00; escalating' },
    { step: 'cab', actor: 'frank', text: 'frank rejected cab: too risky' },
    { step: 'cab', text: 'cab rejected: rejected by frank (any reject rejects)' },
    ended('rejected', 'cab rejected'),
  ]),
  // F (another project): an attestation missed its deadline, and then the waiver did too.
  instance(
    'i-f',
    MARCH,
    [
      {
        step: 'sign-off',
        text: 'sign-off: no attestation by Wed 4 Mar 12:00; a waiver is required by Thu 5 Mar',
      },
      { step: 'sign-off', text: 'sign-off: no waiver in time from grace; the failure stands' },
      ended('rejected', 'sign-off: no waiver in time'),
    ],
    'crm',
  ),
  // G (April, outside the March window): approved by timeout.
  instance('i-g', '2026-04-10T09:00:00.000Z', [
    { step: 'cab', text: 'cab approved by timeout: no decision by Fri 17 Apr 17:00' },
    ended('approved', 'all steps done'),
  ]),
  // H: still running, approved by a delegate.
  instance('i-h', MARCH, [
    { step: 'cab', actor: 'carol', onBehalfOf: 'dave', text: 'carol on behalf of dave approved cab' },
  ]),
];

// Generous: the servers are shared with other suites, and every request also looks its token up.
const SLOW = 90_000;
const BULK = 1_200;
const bulkStart = Date.parse('2026-05-01T00:00:00.000Z');
const bulk: AuditEventInput[] = Array.from({ length: BULK }, (_, i) => ({
  chain: 'i-bulk',
  seq: i + 1,
  id: `i-bulk:${i + 1}`,
  at: new Date(bulkStart + i * 1000),
  type: i === 0 ? 'started' : 'decision',
  instanceId: 'i-bulk',
  process: 'change-request',
  project: 'bulk',
  policy: { name: 'bulk-policy', version: 1, sha256: 'b'.repeat(64) },
  step: i === 0 ? null : 'check',
  // Commas, quotes and line breaks that CSV must quote, in every seventh event.
  text: i % 7 === 3 ? `event ${i + 1}, "quoted"\nsecond line\r\nthird` : `event ${i + 1}`,
  actor: null,
  onBehalfOf: null,
  outcome: null,
  reasons: i % 5 === 0 ? [{ text: 'cost, above "limit"', span }] : [],
  span: i % 5 === 0 ? span : null,
}));

/** Stored documents of one chain, hashed as AuditLedger.append would (and as an auditor re-checks). */
function sealed(events: AuditEventInput[]): Record<string, unknown>[] {
  let prevHash = '0'.repeat(64);
  return events.map(({ id, at, ...rest }) => {
    const hash = sha256Hex(prevHash + canonicalJson({ ...rest, prevHash, id, at: at.toISOString() }));
    const doc = { _id: id, at, ...rest, prevHash, hash };
    prevHash = hash;
    return doc;
  }, SLOW);
}

/** An RFC 4180 reader (quoted fields with doubled quotes and line breaks), independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('audit routes', () => {
  let api: ApiHarness;
  let mongo: MongoClient;
  let auditor: string;
  let admin: string;

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    mongo = await connectMongo();
    for (const events of scenario) await api.store.audit.append(events);
    // The bulk chain is sealed here with the ledger's hash formula, independently of the ledger's
    // code, and inserted behind its back (verify below proves the seals are the ledger's). The
    // ledger's queries read the collection's own indexes, so nothing more is needed to find them.
    await mongo
      .db(databaseNameFor(import.meta.url))
      .collection('audit_events')
      .insertMany(sealed(bulk));
    auditor = await api.tokenFor('ines.auditor@halden.example', ['auditor']);
    admin = await api.tokenFor('adam.admin@halden.example', ['admin']);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await mongo?.close();
  }, SLOW);

  const get = <T>(path: string, token = auditor) => api.call<T>('GET', path, { token });

  test(
    'only auditors and admins reach the audit routes',
    async () => {
      for (const roles of [['approver'], ['requester'], ['author']] as const) {
        const token = await api.tokenFor('someone@halden.example', [...roles]);
        for (const path of [
          '/v1/audit/events',
          '/v1/audit/export?format=csv',
          '/v1/audit/verify',
          '/v1/audit/summary',
        ]) {
          const answer = await get<ErrorAnswer>(path, token);
          expect([path, answer.status, answer.body.error.code]).toEqual([path, 403, 'forbidden']);
        }
      }
      expect((await api.call('GET', '/v1/audit/events')).status).toBe(401);
      expect((await get('/v1/audit/events?limit=1', admin)).status).toBe(200);
    },
    SLOW,
  );

  test(
    'events filter by actor, type and outcome, project, policy version and time window',
    async () => {
      const ids = async (query: string) =>
        (await get<{ items: EventJson[] }>(`/v1/audit/events?${query}`)).body.items.map((e) => e.id);
      expect(await ids('actor=carol')).toEqual(['i-h:2', 'i-a:4']);
      expect(await ids('type=ended&outcome=rejected')).toEqual(['i-d:3', 'i-f:4', 'i-e:5']);
      expect(await ids('project=crm&type=started')).toEqual(['i-f:1']);
      expect(await ids('instance=i-c')).toEqual(['i-c:1', 'i-c:2', 'i-c:3']);
      expect(await ids('policy=change-mgmt&version=3&type=ended&from=2026-04-01T00:00:00Z')).toEqual([
        'i-g:3',
      ]);
      expect(await ids('policy=change-mgmt&version=4')).toEqual([]);
      expect(await ids('type=started&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z')).toHaveLength(7);
    },
    SLOW,
  );

  test(
    'pages follow the cursor to the end, each event once, in time order',
    async () => {
      const seen: EventJson[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `policy=change-mgmt&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const answer = await get<{ items: EventJson[]; nextCursor: string | null }>(
          `/v1/audit/events?${query}`,
        );
        expect(answer.status).toBe(200);
        seen.push(...answer.body.items);
        cursor = answer.body.nextCursor;
        pages++;
      } while (cursor !== null);
      const total = scenario.reduce((n, events) => n + events.length, 0);
      expect(seen).toHaveLength(total);
      expect(new Set(seen.map((e) => e.id)).size).toBe(total);
      expect(pages).toBe(Math.ceil(total / 7));
      const times = seen.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    },
    SLOW,
  );

  test(
    'bad filters are 422 with the field path, never 500',
    async () => {
      const problems = async (query: string) => {
        const answer = await get<ErrorAnswer>(`/v1/audit/${query}`);
        expect([query, answer.status, answer.body.error.code]).toEqual([query, 422, 'invalid-request']);
        return answer.body.error.problems?.map((p) => p.path);
      };
      expect(await problems('events?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z')).toEqual([
        'query.to',
      ]);
      expect(await problems('events?from=2026-04-01T00:00:00Z&to=2026-04-01T00:00:00Z')).toEqual([
        'query.to',
      ]);
      expect(await problems('events?version=three')).toEqual(['query.version']);
      expect(await problems('events?from=yesterday')).toEqual(['query.from']);
      expect(await problems('events?limit=0')).toEqual(['query.limit']);
      expect(await problems('events?limit=501')).toEqual(['query.limit']);
      expect(await problems('events?actor=a&actor=b')).toEqual(['query.actor']);
      expect(await problems('events?polcy=change-mgmt')).toEqual(['query']);
      expect(await problems('events?cursor=not-a-cursor')).toEqual(['query.cursor']);
      expect(await problems(`events?limit=1&version=${'9'.repeat(400)}`)).toEqual(['query.version']);
      expect(await problems('export?format=xml')).toEqual(['query.format']);
      expect(await problems('export')).toEqual(['query.format']);
      expect(await problems('summary?from=2026-05-01T00:00:00Z&to=2026-03-01T00:00:00Z')).toEqual([
        'query.to',
      ]);
    },
    SLOW,
  );

  test(
    `a CSV export of ${BULK} events holds each once, in order, quoted, with hashes`,
    async () => {
      const answer = await api.call('GET', '/v1/audit/export?format=csv&policy=bulk-policy', {
        token: auditor,
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
      const [header, ...rows] = parseCsv(answer.text);
      expect(header?.slice(0, 4)).toEqual(['id', 'chain', 'seq', 'at']);
      expect(header?.slice(-2)).toEqual(['prevHash', 'hash']);
      expect(rows).toHaveLength(BULK);
      const column = (name: string) => header!.indexOf(name);
      expect(rows.map((r) => r[column('id')])).toEqual(bulk.map((e) => e.id));
      expect(rows.map((r) => r[column('text')])).toEqual(bulk.map((e) => e.text));
      expect(rows.map((r) => JSON.parse(r[column('reasons')]!) as unknown)).toEqual(
        bulk.map((e) => e.reasons),
      );
      for (let i = 1; i < rows.length; i++)
        expect(rows[i]![column('prevHash')]).toBe(rows[i - 1]![column('hash')]);
    },
    SLOW,
  );

  test(
    'a JSON Lines export re-verifies offline: every hash recomputes from the file alone',
    async () => {
      const answer = await api.call('GET', '/v1/audit/export?format=jsonl&instance=i-bulk', { token: admin });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const events = answer.text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as EventJson & Record<string, unknown>);
      expect(events.map((e) => e.seq)).toEqual(bulk.map((e) => e.seq));
      let prevHash = '0'.repeat(64);
      for (const event of events) {
        const { hash, ...hashed } = event;
        expect(event.prevHash).toBe(prevHash);
        expect(sha256Hex(event.prevHash + canonicalJson(hashed))).toBe(hash);
        prevHash = hash;
      }
      const empty = await api.call('GET', '/v1/audit/export?format=csv&policy=nothing', { token: auditor });
      expect(empty.text.split('\r\n')).toHaveLength(2);
    },
    SLOW,
  );

  test(
    'the summary counts compliance per policy and project within the window',
    async () => {
      const answer = await get<Record<string, unknown>>(
        '/v1/audit/summary?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z',
      );
      expect(answer.status).toBe(200);
      const none = { approvedByTimeout: 0, rejectedByTimeout: 0, failed: 0, escalated: 0 };
      const erp = {
        policy: 'change-mgmt',
        project: 'erp-upgrade',
        instances: 6,
        running: 1,
        ended: { approved: 3, rejected: 2, cancelled: 0 },
        compliant: 2,
        failedChecks: 2,
        waivers: 1,
        slaBreaches: 2,
        timeoutOutcomes: { ...none, rejectedByTimeout: 1, escalated: 1 },
      };
      const crm = {
        policy: 'change-mgmt',
        project: 'crm',
        instances: 1,
        running: 0,
        ended: { approved: 0, rejected: 1, cancelled: 0 },
        compliant: 0,
        failedChecks: 1,
        waivers: 0,
        slaBreaches: 2,
        timeoutOutcomes: none,
      };
      expect(answer.body['groups']).toEqual([crm, erp]);
      expect(answer.body['window']).toEqual({
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
      });

      const all = await get<{ groups: (typeof erp)[]; totals: Omit<typeof erp, 'policy' | 'project'> }>(
        '/v1/audit/summary?policy=change-mgmt&project=erp-upgrade',
      );
      expect(all.body.groups).toHaveLength(1);
      expect(all.body.totals).toEqual({
        instances: 7,
        running: 1,
        ended: { approved: 4, rejected: 2, cancelled: 0 },
        compliant: 3,
        failedChecks: 2,
        waivers: 1,
        slaBreaches: 3,
        timeoutOutcomes: { ...none, rejectedByTimeout: 1, escalated: 1, approvedByTimeout: 1 },
      });
    },
    SLOW,
  );

  test(
    'verify passes an intact ledger and names a tampered event; an unknown instance is 404',
    async () => {
      const intact = await get<Record<string, unknown>>('/v1/audit/verify');
      expect(intact.body).toEqual({
        ok: true,
        chains: scenario.length + 1,
        events: expect.any(Number) as number,
        // No head is signed in this suite: nothing to hold the tree to yet.
        tree: { ok: true, head: null, leaves: 0 },
      });
      expect((await get<ErrorAnswer>('/v1/audit/verify?instance=i-nope')).status).toBe(404);
      expect((await get<Record<string, unknown>>('/v1/audit/verify?instance=i-bulk')).body).toEqual({
        ok: true,
        chains: 1,
        events: BULK,
      });

      const raw = mongo.db(databaseNameFor(import.meta.url)).collection<{ _id: string }>('audit_events');
      await raw.updateOne({ _id: 'i-c:2' }, { $set: { text: 'budget fine' } });
      const one = await get<Record<string, unknown>>('/v1/audit/verify?instance=i-c');
      expect(one.body).toEqual({
        ok: false,
        chains: 1,
        events: 3,
        firstProblem: { chain: 'i-c', seq: 2, id: 'i-c:2', problem: 'hash mismatch' },
      });
      const whole = await get<{ ok: boolean; firstProblem: unknown }>('/v1/audit/verify');
      expect(whole.body.ok).toBe(false);
      expect(whole.body.firstProblem).toEqual({
        chain: 'i-c',
        seq: 2,
        id: 'i-c:2',
        problem: 'hash mismatch',
      });
      expect((await get<Record<string, unknown>>('/v1/audit/verify?instance=i-a')).body['ok']).toBe(true);
    },
    SLOW,
  );
});

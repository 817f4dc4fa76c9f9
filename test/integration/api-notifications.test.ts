// Notifications over real HTTP against the real store: the caller's in-app list (only their own,
// read and unread, rendered in their zone), delivery fields and preferences with field paths on bad
// input, the CSV import (all problems at once, nothing written), the admins' failed deliveries, and
// the notices a comment's @mention and a task's delegation post to the delivery queue. No worker
// runs: tests assert the queued deliveries, and fill the in-app list through the store.
import { jest } from '@jest/globals';
import { compose } from '../../engine/notices/compose.js';
import { defaultPreferences, type DeliveryProfile, type Notice } from '../../engine/notices/types.js';
import { ADMIN_CHAIN } from '../../store/index.js';
import { startApiHarness, type Answer, type ApiHarness } from '../support/api.js';

// The servers are shared with other suites: a busy server takes tens of milliseconds a call.
jest.setTimeout(60_000);

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface NotificationAnswer {
  id: string;
  kind: string;
  at: string;
  readAt: string | null;
  subject: string;
  headline: string;
  why: string | null;
  due: string | null;
  path: string;
  details: { label: string; value: string }[];
  instanceId: string;
  task: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface FailedAnswer {
  id: string;
  channel: string;
  recipient: string;
  kind: string | null;
  subject: string;
  attempts: number;
  lastError: string | null;
  failedAt: string | null;
  instanceId: string | null;
  path: string | null;
}

const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const CAROL = 'carol.nguyen@halden.example';
const RITA = 'rita.sommer@halden.example';
const GRETA = 'greta.holm@halden.example';
const PETRA = 'petra.pmo@halden.example';
const GHOST = 'ghost@halden.example';

const HOUR = 3600_000;
const POLICY = { name: 'Purchase', version: 1, sha256: 'a'.repeat(64) };

/** Status and sorted problem paths of an answer, in one expectation so a failure shows both. */
const refusal = (answer: Answer) => ({
  status: answer.status,
  paths: ((answer.body as ErrorAnswer).error?.problems ?? []).map((p) => p.path).sort(),
});
const invalid = (...paths: string[]) => ({ status: 422, paths: paths.sort() });

/** A delegation notice to `recipient`, as the in-app list would hold it. */
function notice(id: string, recipient: string, at: number): Notice {
  return {
    id,
    kind: 'taskAssigned',
    recipient,
    onBehalfOf: CAROL,
    at,
    instance: {
      id: 'purchase-1',
      process: 'purchase',
      policy: 'Purchase',
      project: 'Apollo',
      requester: RITA,
    },
    task: 'purchase-1/review#1',
    step: 'review',
    due: null,
    cause: { kind: 'delegation', by: CAROL, from: CAROL, until: at + 72 * HOUR },
  };
}

const validProfile: DeliveryProfile = {
  email: 'alice@mail.example',
  chat: { format: 'slack', url: 'https://hooks.slack.example/services/T1/B2/x' },
  zone: 'Asia/Tokyo',
  workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '16:30' },
};

describe('the notifications API over HTTP', () => {
  let api: ApiHarness;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    await api.store.directory.seedFromWorld({
      groups: {},
      managers: { [ALICE]: GRETA },
      people: [ALICE, BOB, CAROL, RITA, GRETA, PETRA],
    });
    token[ALICE] = await api.tokenFor(ALICE, ['approver']);
    token[BOB] = await api.tokenFor(BOB, ['approver']);
    token[CAROL] = await api.tokenFor(CAROL, ['approver']);
    token[RITA] = await api.tokenFor(RITA, ['requester']);
    token[GRETA] = await api.tokenFor(GRETA, ['admin']);
    token[PETRA] = await api.tokenFor(PETRA, ['pmo']);
  });

  afterAll(async () => {
    await api?.close();
  });

  const call = <T>(method: string, path: string, as: string, body?: unknown) =>
    api.call<T>(method, path, { token: token[as] ?? null, body });
  const csv = (text: string, as = GRETA) =>
    api.call<{ created: number; updated: number }>('POST', '/v1/directory/people/import', {
      token: token[as] ?? null,
      rawBody: text,
      headers: { 'content-type': 'text/csv' },
    });

  test('when a person reads their notifications, then they see only their own, rendered in their zone', async () => {
    const now = Date.now();
    for (const [i, at] of [now - 3 * HOUR, now - 2 * HOUR, now - HOUR].entries()) {
      await api.store.notifications.add(notice(`n${i}/${ALICE}`, ALICE, at), new Date(at));
    }
    await api.store.notifications.add(notice(`n0/${BOB}`, BOB, now - HOUR), new Date(now - HOUR));
    await call('PUT', `/v1/directory/people/${ALICE}/delivery`, ALICE, validProfile);

    const first = await call<Page<NotificationAnswer>>('GET', '/v1/notifications?limit=2', ALICE);
    expect(first.status).toBe(200);
    expect(first.body.items.map((n) => n.id)).toEqual([`n2/${ALICE}`, `n1/${ALICE}`]);
    const rest = await call<Page<NotificationAnswer>>(
      'GET',
      `/v1/notifications?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      ALICE,
    );
    expect(rest.body).toEqual({ items: [expect.objectContaining({ id: `n0/${ALICE}` })], nextCursor: null });

    // Rendered with Alice's profile (her zone) and a path, never a full URL.
    const newest = first.body.items[0]!;
    const expected = compose(notice(`n2/${ALICE}`, ALICE, now - HOUR), {
      profile: validProfile,
      publicUrl: '',
      now,
    });
    expect(newest).toEqual({
      id: `n2/${ALICE}`,
      kind: 'taskAssigned',
      at: new Date(now - HOUR).toISOString(),
      readAt: null,
      subject: expected.subject,
      headline: expected.headline,
      why: expected.why,
      due: null,
      path: '/tasks/purchase-1%2Freview%231',
      details: expected.details,
      instanceId: 'purchase-1',
      task: 'purchase-1/review#1',
    });
    expect(newest.headline).toContain('(Asia/Tokyo)');

    const count = await call<{ unread: number }>('GET', '/v1/notifications/unread-count', ALICE);
    expect(count.body).toEqual({ unread: 3 });
    // Bob's id in Alice's request marks nothing of Bob's.
    const marked = await call<{ marked: number }>('POST', '/v1/notifications/read', ALICE, {
      ids: [`n1/${ALICE}`, `n0/${BOB}`, 'no-such-notification'],
    });
    expect(marked.body).toEqual({ marked: 1 });
    expect((await call('GET', '/v1/notifications/unread-count', BOB)).body).toEqual({ unread: 1 });
    const unread = await call<Page<NotificationAnswer>>('GET', '/v1/notifications?unread=true', ALICE);
    expect(unread.body.items.map((n) => n.id)).toEqual([`n2/${ALICE}`, `n0/${ALICE}`]);

    const all = await call<{ marked: number }>('POST', '/v1/notifications/read', ALICE, { all: true });
    expect(all.body).toEqual({ marked: 2 });
    expect((await call('GET', '/v1/notifications/unread-count', ALICE)).body).toEqual({ unread: 0 });
    expect((await call('GET', '/v1/notifications/unread-count', BOB)).body).toEqual({ unread: 1 });
    const bobs = await call<Page<NotificationAnswer>>('GET', '/v1/notifications', BOB);
    expect(bobs.body.items.map((n) => [n.id, n.readAt])).toEqual([[`n0/${BOB}`, null]]);
  });

  test('when marking read is asked wrongly, then the answer names the field', async () => {
    const post = (body: unknown) => call('POST', '/v1/notifications/read', ALICE, body);
    expect(refusal(await post({}))).toEqual(invalid('body.ids'));
    expect(refusal(await post({ ids: ['a'], all: true }))).toEqual(invalid('body.ids'));
    expect(refusal(await post({ all: false }))).toEqual(invalid('body.all'));
    const many = Array.from({ length: 201 }, (_, i) => `n${i}`);
    expect(refusal(await post({ ids: many }))).toEqual(invalid('body.ids'));
    expect(refusal(await call('GET', '/v1/notifications?limit=101', ALICE))).toEqual(invalid('query.limit'));
  });

  test('when preferences are saved, then they are checked field by field and only by the person or an admin', async () => {
    const path = `/v1/directory/people/${BOB}/notification-preferences`;
    expect((await call('GET', path, BOB)).body).toEqual(defaultPreferences());
    const chosen = { ...defaultPreferences(), digest: true, quietHours: { from: '12:00', to: '13:00' } };
    chosen.channels.mention = ['chat'];
    const saved = await call('PUT', path, BOB, chosen);
    expect([saved.status, saved.body]).toEqual([200, chosen]);
    expect((await call('GET', '/v1/me/notification-preferences', BOB)).body).toEqual(chosen);

    const withoutEnded: Record<string, string[]> = { ...chosen.channels };
    delete withoutEnded['ended'];
    const wrong = {
      channels: { ...withoutEnded, mention: ['pigeon'], decision: ['email', 'email'], fax: ['email'] },
      digest: 'yes',
      quietHours: { from: '12:00', to: '12:00' },
    };
    expect(refusal(await call('PUT', path, BOB, wrong))).toEqual(
      invalid(
        'body.channels.ended',
        'body.channels.mention.0',
        'body.channels.decision',
        'body.channels.fax',
        'body.digest',
        'body.quietHours.to',
      ),
    );
    expect((await call('GET', path, BOB)).body).toEqual(chosen);

    expect((await call('PUT', path, ALICE, chosen)).status).toBe(403);
    expect((await call('GET', path, ALICE)).status).toBe(403);
    expect((await call('GET', path, PETRA)).status).toBe(403);
    expect((await call('PUT', path, GRETA, defaultPreferences())).status).toBe(200);
    expect((await call('GET', path, BOB)).body).toEqual(defaultPreferences());
    const ghost = await call<ErrorAnswer>(
      'GET',
      `/v1/directory/people/${GHOST}/notification-preferences`,
      GRETA,
    );
    expect([ghost.status, ghost.body.error.code]).toEqual([404, 'not-found']);
  });

  test('when delivery fields are saved, then zone, hours, URL and address are checked', async () => {
    const path = `/v1/directory/people/${CAROL}/delivery`;
    const put = (body: unknown, as = CAROL) => call<DeliveryProfile>('PUT', path, as, body);
    const bad = {
      email: 'not an address',
      chat: { format: 'slack', url: 'http://hooks.slack.example/x' },
      zone: 'Mars/Olympus_Mons',
      workingHours: { days: ['mon', 'mon', 'funday'], from: '17:00', to: '09:00' },
    };
    expect(refusal(await put(bad))).toEqual(
      invalid('body.email', 'body.chat.url', 'body.zone', 'body.workingHours.days.2', 'body.workingHours.to'),
    );
    const sameTimes = { ...validProfile, workingHours: { days: ['mon'], from: '09:00', to: '09:00' } };
    expect(refusal(await put(sameTimes))).toEqual(invalid('body.workingHours.to'));
    expect(
      refusal(await put({ ...validProfile, workingHours: { ...validProfile.workingHours, days: [] } })),
    ).toEqual(invalid('body.workingHours.days'));
    expect(refusal(await put({ ...validProfile, zone: undefined }))).toEqual(invalid('body.zone'));
    const notUrl = { ...validProfile, chat: { format: 'irc', url: 'not a url' } };
    expect(refusal(await put(notUrl))).toEqual(invalid('body.chat.format', 'body.chat.url'));

    // Plain http reaches this machine only; the zone is stored as Intl spells it.
    const local = {
      ...validProfile,
      chat: { format: 'teams', url: 'http://127.0.0.1:9/hook' },
      zone: 'europe/berlin',
    };
    const saved = await put(local);
    expect([saved.status, saved.body]).toEqual([200, { ...local, zone: 'Europe/Berlin' }]);
    expect((await call('GET', path, PETRA)).body).toEqual(saved.body);
    expect((await call('GET', path, GRETA)).status).toBe(200);
    expect((await call('GET', path, BOB)).status).toBe(403);
    expect((await put(validProfile, PETRA)).status).toBe(403);
    expect((await put(validProfile, GRETA)).status).toBe(200);
    expect((await call('GET', '/v1/me/delivery', CAROL)).body).toEqual(validProfile);
    expect((await call('PUT', `/v1/directory/people/${GHOST}/delivery`, GRETA, validProfile)).status).toBe(
      404,
    );
  });

  test('when an admin imports a CSV file, then people and their delivery fields are created or updated', async () => {
    const text = [
      'ID,Name,Manager,email,chat_format,chat_url,zone,working_days,working_from,working_to',
      `new.one@halden.example,"One, New",${GRETA},one@mail.example,teams,https://teams.example/hook,Europe/Berlin,"mon,tue,wed",09:00,15:00`,
      `new.two@halden.example,Two,new.one@halden.example,,,,,,,`,
      `${RITA},"Rita ""R."" Sommer",,rita@mail.example,,,America/New_York,mon-fri,08:00,16:00`,
    ].join('\r\n');
    const answer = await csv(text);
    expect([answer.status, answer.body]).toEqual([200, { created: 2, updated: 1 }]);
    const one = await call('GET', '/v1/directory/people/new.one@halden.example', GRETA);
    expect(one.body).toMatchObject({ name: 'One, New', manager: GRETA, active: true });
    expect((await call('GET', '/v1/directory/people/new.one@halden.example/delivery', GRETA)).body).toEqual({
      email: 'one@mail.example',
      chat: { format: 'teams', url: 'https://teams.example/hook' },
      zone: 'Europe/Berlin',
      workingHours: { days: ['mon', 'tue', 'wed'], from: '09:00', to: '15:00' },
    });
    expect((await call('GET', '/v1/directory/people/new.two@halden.example', GRETA)).body).toMatchObject({
      manager: 'new.one@halden.example',
    });
    expect((await call('GET', `/v1/directory/people/${RITA}`, GRETA)).body).toMatchObject({
      name: 'Rita "R." Sommer',
    });
    expect((await call('GET', `/v1/directory/people/${RITA}/delivery`, GRETA)).body).toMatchObject({
      email: 'rita@mail.example',
      zone: 'America/New_York',
    });
    // A directory edit like any other: on the admin chain, with who was added and what changed.
    const chain = await api.store.audit.query({ instanceId: ADMIN_CHAIN }, { limit: 500 });
    expect(chain.events.filter((e) => e.fact?.kind === 'peopleImported').map((e) => e.text)).toEqual([
      `${GRETA} imported 3 people from a CSV file: added new.one@halden.example, new.two@halden.example; ` +
        `changed ${RITA} (name from (none) to Rita "R." Sommer)`,
    ]);
  });

  test('when a CSV file has bad rows, then every problem is named and nothing is written', async () => {
    const text = [
      'id,name,manager,zone,working_days,working_from,working_to',
      'fine.person@halden.example,Fine,,UTC,,,',
      'bad.zone@halden.example,Bad,,Nowhere/Special,,,',
      'bad.hours@halden.example,Hours,,,mon-fri,18:00,08:00',
      `bad.manager@halden.example,Manager,${GHOST},,,,`,
    ].join('\n');
    const answer = await csv(text);
    expect(answer.status).toBe(422);
    expect((answer.body as unknown as ErrorAnswer).error.code).toBe('invalid-csv');
    expect(refusal(answer).paths).toEqual(
      ['body.rows[3].zone', 'body.rows[4].working_to', 'body.rows[5].manager'].sort(),
    );
    for (const id of ['fine.person', 'bad.zone', 'bad.hours', 'bad.manager']) {
      expect((await call('GET', `/v1/directory/people/${id}@halden.example`, GRETA)).status).toBe(404);
    }
    const header = await csv('id,phone\nx@halden.example,123\n');
    expect(refusal(header)).toEqual(invalid('body.header'));
    expect((await csv('id\nsomeone@halden.example\n', PETRA)).status).toBe(403);
  });

  test('when admins look at failed deliveries, then they see and retry them; nobody else may', async () => {
    for (const as of [PETRA, ALICE, RITA]) {
      expect((await call('GET', '/v1/admin/deliveries?status=failed', as)).status).toBe(403);
      expect((await call('GET', '/v1/admin/deliveries/summary', as)).status).toBe(403);
      expect((await call('POST', '/v1/admin/deliveries/x/retry', as)).status).toBe(403);
    }
    const at = Date.now() - HOUR;
    await api.store.deliveries.post([notice(`failing/${BOB}`, BOB, at)]);
    const id = `failing/${BOB}/email`;
    // No worker runs: claim and fail the mail the way the notifier does.
    const claimed = await api.store.deliveries.claim(new Date(), 60_000, 10);
    expect(claimed.map((d) => d.id)).toContain(id);
    await api.store.deliveries.markFailed(id, 'smtp: 550 mailbox unavailable', new Date());

    const failed = await call<Page<FailedAnswer>>('GET', '/v1/admin/deliveries?status=failed', GRETA);
    expect(failed.status).toBe(200);
    expect(failed.body.items).toEqual([
      expect.objectContaining({
        id,
        channel: 'email',
        recipient: BOB,
        kind: 'taskAssigned',
        subject: expect.any(String) as string,
        attempts: 1,
        lastError: 'smtp: 550 mailbox unavailable',
        instanceId: 'purchase-1',
      }),
    ]);
    expect(failed.body.items[0]?.subject).toContain('Delegated to you: review');
    // The console links the row to the page its notice is about.
    expect(failed.body.items[0]?.path).toMatch(/^\/(tasks|instances)\/purchase-1/);
    const summary = await call<Record<string, number>>('GET', '/v1/admin/deliveries/summary', GRETA);
    expect(summary.body).toMatchObject({ failed: 1 });

    const retry = await call('POST', `/v1/admin/deliveries/${encodeURIComponent(id)}/retry`, GRETA);
    expect(retry.status).toBe(204);
    expect((await api.store.deliveries.get(id))?.status).toBe('pending');
    const again = await call<ErrorAnswer>(
      'POST',
      `/v1/admin/deliveries/${encodeURIComponent(id)}/retry`,
      GRETA,
    );
    expect([again.status, again.body.error.code]).toEqual([409, 'not-failed']);
    expect((await call('POST', '/v1/admin/deliveries/no-such-delivery/retry', GRETA)).status).toBe(404);
    expect((await call<Page<FailedAnswer>>('GET', '/v1/admin/deliveries', GRETA)).body.items).toEqual([]);
  });

  test('when a comment mentions someone or a task is delegated, then notices are queued for them', async () => {
    const instanceId = 'purchase-mention';
    const taskId = `${instanceId}/review#1`;
    const dueAt = new Date(Date.now() + 48 * HOUR);
    await api.store.tasks.open({
      id: taskId,
      instanceId,
      task: 'review#1',
      step: 'review',
      title: 'Review the purchase',
      kind: 'approval',
      assignees: [ALICE],
      dueAt,
      openedAt: new Date(),
      policy: POLICY,
      process: 'purchase',
      project: 'Apollo',
    });
    await api.store.views.upsert({
      instanceId,
      workflowId: instanceId,
      policy: POLICY,
      process: 'purchase',
      project: 'Apollo',
      status: 'running',
      message: null,
      startedAt: new Date(),
      startedBy: RITA,
      endedAt: null,
      currentSteps: ['review'],
      blockedOn: [],
      transition: 1,
      assignees: [ALICE],
    });
    const task = encodeURIComponent(taskId);
    const text = `@${BOB} please check the budget. ${'x'.repeat(400)}`;
    const comment = await call<{ id: string }>('POST', `/v1/tasks/${task}/comments`, ALICE, { text });
    expect(comment.status).toBe(201);
    const mention = await api.store.deliveries.get(`comment:${comment.body.id}/${BOB}/email`);
    expect(mention?.notices).toEqual([
      {
        id: `comment:${comment.body.id}/${BOB}`,
        kind: 'mention',
        recipient: BOB,
        onBehalfOf: null,
        at: expect.any(Number) as number,
        instance: {
          id: instanceId,
          process: 'purchase',
          policy: 'Purchase',
          project: 'Apollo',
          requester: RITA,
        },
        task: taskId,
        step: 'review',
        due: { at: dueAt.getTime(), zone: 'UTC' },
        cause: { kind: 'mention', by: ALICE, excerpt: text.slice(0, 280), comment: comment.body.id },
      },
    ]);
    for (const channel of ['inapp', 'chat']) {
      expect(await api.store.deliveries.get(`comment:${comment.body.id}/${BOB}/${channel}`)).not.toBeNull();
    }
    // Nobody else was mentioned, so nobody else is told.
    expect(await api.store.deliveries.get(`comment:${comment.body.id}/${ALICE}/email`)).toBeNull();

    const until = new Date(Date.now() + 72 * HOUR).toISOString();
    const delegation = await call<{ id: string; end: string }>('POST', `/v1/tasks/${task}/delegate`, ALICE, {
      to: CAROL,
      until,
      note: 'back on Monday',
    });
    expect(delegation.status).toBe(201);
    const told = await api.store.deliveries.get(`delegation:${delegation.body.id}/${CAROL}/inapp`);
    expect(told?.notices[0]).toMatchObject({
      id: `delegation:${delegation.body.id}/${CAROL}`,
      kind: 'taskAssigned',
      recipient: CAROL,
      onBehalfOf: ALICE,
      task: taskId,
      cause: { kind: 'delegation', by: ALICE, from: ALICE, until: new Date(until).getTime() },
    });
  });
});

// The audit and people screens in Chromium against the API on real servers. A small purchase runs
// to its end through the API (a requester starts it, an approver approves), so the ledger holds
// the events a real instance writes; then an auditor searches them by instance (the search lives
// in the URL), downloads them as CSV and verifies the chains, and sees an event changed behind the
// ledger's back named as the first bad one. A PMO planner finds a person, previews an allocation,
// books it and sees the week's hours change, meets the API's refusal when someone else took the
// hours in between, and records her own absence. Every screen passes axe and fits a phone.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { weekPlus } from '../../api/resources/schemas.js';
import { isoWeekOf } from '../../store/index.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';
import { databaseNameFor } from '../support/services.js';

const POLICY_NAME = 'Audit screen purchase';
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role approvers = group "audit-screen-approvers"

process purchase {
  input {
    requester: person
    item: text
    project: text
  }
  approve review {
    by approvers
    any
    not request.requester
    within 5 days
  }
  end approved "{request.item} approved"
}
`;

const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const RITA = 'rita.sommer@halden.example';
const PRIYA = 'priya.raman@halden.example';
const SIMON = 'simon.frey@halden.example';
const PETRA = 'petra.holm@halden.example';
const DANA = 'dana.keller@halden.example';
const DAY_MS = 24 * 3600 * 1000;

interface EventsPage {
  items: { id: string; seq: number; type: string }[];
  nextCursor: string | null;
}

/** What `read` gives once `done` holds (the workflow runs on its own time). */
async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached in 30 s (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the audit and people screens', () => {
  let h: ConsoleHarness;
  let instanceId = '';
  let eventCount = 0;
  /** The id of the instance's second event, which the tampering test changes behind the ledger's back. */
  let secondEvent = '';
  const thisWeek = isoWeekOf(new Date());
  const token: Record<string, string> = {};

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url);
    const { store } = h.api;
    await store.directory.seedFromWorld({
      groups: { 'audit-screen-approvers': [ALICE, BOB] },
      managers: { [PRIYA]: DANA, [RITA]: DANA },
      people: [RITA, PRIYA, SIMON, PETRA, DANA],
    });
    const names: [string, string][] = [
      [ALICE, 'Alice Meyer'],
      [BOB, 'Bob Schulz'],
      [RITA, 'Rita Sommer'],
      [PRIYA, 'Priya Raman'],
      [DANA, 'Dana Keller'],
    ];
    for (const [id, name] of names) await store.directory.upsertPerson({ id, name });
    const now = Date.now();
    await store.directory.addDelegation({
      id: 'dlg_audit_screen',
      from: ALICE,
      to: BOB,
      start: new Date(now - DAY_MS),
      end: new Date(now + 14 * DAY_MS),
    });
    await store.directory.setOutOfOffice(BOB, {
      from: new Date(now + 2 * DAY_MS),
      to: new Date(now + 9 * DAY_MS),
      delegate: ALICE,
    });
    await store.peopleCapacity.setHours(
      PRIYA,
      [0, 1, 2, 3].map((n) => weekPlus(thisWeek, n)),
      40,
    );

    await h.api.publish(POLICY, 'purchase.charter');
    token['rita'] = await h.api.tokenFor(RITA, ['requester']);
    token['alice'] = await h.api.tokenFor(ALICE, ['approver']);
    token['auditor'] = await h.api.tokenFor(SIMON, ['auditor']);
    token['admin'] = await h.api.tokenFor(DANA, ['admin']);

    // A purchase run to its end through the API: started, approved, ended.
    const started = await h.api.call<{ instanceId: string }>('POST', '/v1/instances', {
      token: token['rita'] ?? null,
      body: {
        policy: POLICY_NAME,
        process: 'purchase',
        input: { requester: RITA, item: '3 docking stations', project: 'PRJ-DESK' },
      },
    });
    if (started.status !== 201) throw new Error(`start: ${started.status} ${started.text}`);
    instanceId = started.body.instanceId;
    const inbox = await eventually(
      'the review task',
      async () =>
        (
          await h.api.call<{ items: { id: string; instanceId: string }[] }>('GET', '/v1/tasks/inbox', {
            token: token['alice'] ?? null,
          })
        ).body.items.find((t) => t.instanceId === instanceId),
      (task) => task !== undefined,
    );
    const decided = await h.api.call('POST', `/v1/tasks/${encodeURIComponent(inbox?.id ?? '')}/decide`, {
      token: token['alice'] ?? null,
      body: { decision: 'approve' },
    });
    if (decided.status !== 200) throw new Error(`decide: ${decided.status} ${decided.text}`);
    const events = await eventually(
      'the ended event',
      async () =>
        (
          await h.api.call<EventsPage>(
            'GET',
            `/v1/audit/events?instance=${encodeURIComponent(instanceId)}&limit=500`,
            {
              token: token['auditor'] ?? null,
            },
          )
        ).body,
      (page) => page.items.some((e) => e.type === 'ended'),
    );
    eventCount = events.items.length;
    secondEvent = events.items.find((e) => e.seq === 2)?.id ?? '';
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  const instanceField = (page: Page) =>
    page.getByRole('search', { name: 'Search the ledger' }).getByLabel('Instance', { exact: true });

  test('when an auditor searches by instance, then its events show, the CSV holds them and verify says intact', async () => {
    const page = await h.signIn(SIMON, ['auditor'], DESKTOP);
    expect(new URL(page.url()).pathname).toBe('/audit');
    await instanceField(page).fill(instanceId);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText(`Showing ${eventCount} events`).waitFor();
    // The search is in the URL: a bookmark opens the same search.
    expect(new URL(page.url()).searchParams.get('instance')).toBe(instanceId);
    const rows = page.locator('table.audit-table tbody tr');
    expect(await rows.count()).toBe(eventCount);
    expect(await rows.first().innerText()).toContain('started');
    expect(await rows.last().innerText()).toContain('approved');
    await page.getByRole('row').filter({ hasText: ALICE }).first().waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^charter-audit-.*\.csv$/);
    const [header, ...lines] = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(header?.split(',').slice(0, 3)).toEqual(['id', 'chain', 'seq']);
    expect(header).toContain('prevHash');
    expect(lines).toHaveLength(eventCount);

    await page.getByRole('button', { name: 'Verify this instance' }).click();
    await page.getByText(`Intact: ${eventCount} events in 1 chain`).waitFor();
    expect(await screenProblems(page, 'audit-desktop')).toEqual([]);

    // Reloaded from its URL, the search is the same one.
    await page.reload();
    await page.getByText(`Showing ${eventCount} events`).waitFor();
    expect(await instanceField(page).inputValue()).toBe(instanceId);
    await page.context().close();
  });

  test('when a search matches nothing or its period is backwards, then the screen says so at the right place', async () => {
    const page = await h.signIn(SIMON, ['auditor'], DESKTOP);
    await page.goto('/audit?instance=no-such-instance&from=2026-01-01T00:00:00.000Z');
    await page.getByText('No events match').waitFor();
    await page.getByRole('button', { name: 'Search any time' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === null);
    expect(new URL(page.url()).searchParams.get('instance')).toBe('no-such-instance');

    await page.goto('/audit?from=2026-03-02T00:00:00.000Z&to=2026-03-01T00:00:00.000Z');
    const until = page.getByLabel('Until');
    await page.getByText('`to` must be after `from`', { exact: true }).waitFor();
    const described = (await until.getAttribute('aria-describedby')) ?? '';
    const problem = page.locator(`[id="${described.split(' ').pop() ?? ''}"]`);
    expect(await problem.innerText()).toBe('`to` must be after `from`');
    expect(await until.getAttribute('aria-invalid')).toBe('true');
    expect(await screenProblems(page, 'audit-refused-desktop')).toEqual([]);
    await page.context().close();

    const phone = await h.signIn(SIMON, ['auditor'], PHONE);
    await phone.goto(`/audit?instance=${encodeURIComponent(instanceId)}`);
    await phone.getByText(`Showing ${eventCount} events`).waitFor();
    expect(await screenProblems(phone, 'audit-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when an event was changed behind the ledger, then verify names the first bad event and what is wrong', async () => {
    await h.api.mongo
      .db(databaseNameFor(import.meta.url))
      .collection<{ _id: string }>('audit_events')
      .updateOne({ _id: secondEvent }, { $set: { text: 'nothing to see here' } });
    const page = await h.signIn(SIMON, ['auditor'], DESKTOP);
    await page.getByRole('button', { name: 'Verify the whole ledger' }).click();
    const answer = page.locator('.audit-verify-result');
    await answer.getByText('Broken: the chains do not verify').waitFor();
    const text = await answer.innerText();
    expect(text).toContain(`First bad event: #2 of chain ${instanceId} (${secondEvent})`);
    expect(text).toContain("hash mismatch: the event's contents no longer give the hash recorded for it");
    await answer.getByRole('button', { name: `Show the events of ${instanceId}` }).click();
    await page.waitForURL((url) => url.searchParams.get('instance') === instanceId);
    await page.getByRole('row').filter({ hasText: 'nothing to see here' }).waitFor();
    await page.context().close();
  });

  test('when a PMO planner finds a person and books after a preview, then the week shows the hours', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('link', { name: 'Priya Raman' }).waitFor();
    // The absence and the delegation seeded above are on the directory screen.
    await page.getByRole('row').filter({ hasText: 'Bob Schulz' }).getByText('Planned').waitFor();
    await page.getByRole('cell', { name: 'In force' }).waitFor();
    expect(await screenProblems(page, 'people-desktop')).toEqual([]);

    await page.getByLabel('Search people').fill('pri');
    await page.waitForURL((url) => url.searchParams.get('q') === 'pri');
    await page.getByText('Showing 1 person').waitFor();
    await page.getByRole('link', { name: 'Priya Raman' }).click();
    await page.getByRole('heading', { level: 1, name: /Priya Raman/ }).waitFor();
    const firstWeek = page.getByRole('row').filter({ hasText: thisWeek });
    expect(await firstWeek.getByRole('cell').nth(0).innerText()).toBe('0 h / 40 h');

    await page.getByRole('textbox', { name: 'Project' }).fill('PRJ-ROLLOUT');
    await page.getByLabel('Hours in total').fill('16');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('heading', { name: 'Preview: it fits' }).waitFor();
    expect(await page.locator('.people-preview tbody tr').first().innerText()).toMatch(/40 h\s*→\s*24 h/);
    await page.getByRole('button', { name: 'Book 16 h on PRJ-ROLLOUT' }).click();
    await page.getByText(`Booked 16 h on PRJ-ROLLOUT for ${thisWeek}.`).waitFor();
    await firstWeek.filter({ hasText: '16 h / 40 h' }).waitFor();
    expect(await firstWeek.innerText()).toContain('PRJ-ROLLOUT 16 h');

    // Previewed with 24 h free; someone else books 10 of them before the click.
    await page.getByRole('textbox', { name: 'Project' }).fill('PRJ-LATE');
    await page.getByLabel('Hours in total').fill('20');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('heading', { name: 'Preview: it fits' }).waitFor();
    const other = await h.api.call('POST', `/v1/resources/people/${PRIYA}/allocations`, {
      token: token['admin'] ?? null,
      body: { project: 'PRJ-OTHER', hours: 10, from: thisWeek, to: thisWeek },
    });
    expect(other.status).toBe(201);
    await page.getByRole('button', { name: 'Book 20 h on PRJ-LATE' }).click();
    await page.getByText('Not booked: not enough free hours').waitFor();
    expect(await page.locator('.notice-error').filter({ hasText: 'Not booked' }).innerText()).toMatch(
      /has 14 free hours in .*20 requested/,
    );
    expect(await screenProblems(page, 'person-desktop')).toEqual([]);

    // On her own page she records an absence; a return before the start is refused at its field.
    await page.goto(`/people/${PETRA}`);
    const day = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
    await page.getByLabel('Away from').fill(day(3));
    await page.getByLabel('Back on').fill(day(3));
    await page.getByRole('button', { name: 'Save the absence' }).click();
    await page.getByText('must be after from').waitFor();
    expect(await page.getByLabel('Back on').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Back on').fill(day(8));
    await page.getByRole('button', { name: 'Save the absence' }).click();
    await page.getByText('The absence is saved.').waitFor();
    await page.locator('.people-facts').getByText('Planned').waitFor();
    expect((await h.api.store.directoryQueries.absenceOf(PETRA))?.delegate).toBeNull();
    // The trip is called off: the planned absence is cancelled, and the store has none left.
    await page.getByRole('button', { name: 'Cancel the absence' }).click();
    await page.getByText('The absence is cancelled.').waitFor();
    expect(await h.api.store.directoryQueries.absenceOf(PETRA)).toBeNull();
    await page.context().close();

    const phone = await h.signIn(PETRA, ['pmo'], PHONE);
    await phone.goto('/people');
    await phone.getByRole('link', { name: 'Priya Raman' }).waitFor();
    expect(await screenProblems(phone, 'people-phone')).toEqual([]);
    await phone.getByRole('link', { name: 'Priya Raman' }).click();
    await phone.getByRole('row').filter({ hasText: thisWeek }).filter({ hasText: '26 h / 40 h' }).waitFor();
    expect(await screenProblems(phone, 'person-phone')).toEqual([]);
    await phone.context().close();
  });
});

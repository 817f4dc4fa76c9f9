// Notifications in Chromium against the API on real servers: notices reach Alice's in-app list
// the way production puts them there (queued deliveries, one round of the real Deliverer; one
// straight into the list), and the header's bell counts them; the list shows them newest first,
// opening one marks it read and lands on its task, "Mark all as read" empties the bell, and the
// bell is reached and opened with the keyboard alone. Alice saves how she is reached (her
// browser's zone offered for a profile never set; a plain-http webhook refused at its field with
// everything typed still there) and what is sent where. An admin retries a failed delivery, edits
// how someone is reached, and imports people from CSV, first seeing the file's row problems.
// Every new screen passes axe and fits a phone.
import type { Page } from 'playwright-core';
import { compose } from '../../engine/notices/compose.js';
import { defaultProfile, type Notice } from '../../engine/notices/types.js';
import type { Role } from '../../store/index.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  signInWithToken,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const ALICE = 'alice.meyer@halden.example';
const BOB = 'bob.schulz@halden.example';
const RITA = 'rita.sommer@halden.example';
const GRETA = 'greta.holm@halden.example';
const NEWCOMER = 'nina.berg@halden.example';
const HOUR = 3600_000;

/** A notice to `recipient` about a task of a purchase for `project`, as the planner or the API would make it. */
function notice(id: string, recipient: string, at: number, project: string, mention: boolean): Notice {
  const instance = `purchase-${project.toLowerCase()}`;
  return {
    id,
    kind: mention ? 'mention' : 'taskAssigned',
    recipient,
    onBehalfOf: mention ? null : RITA,
    at,
    instance: { id: instance, process: 'purchase', policy: 'Purchase', project, requester: RITA },
    task: `${instance}/review#1`,
    step: 'review',
    due: null,
    cause: mention
      ? { kind: 'mention', by: RITA, excerpt: '@alice can you check the quote?', comment: `c-${id}` }
      : { kind: 'delegation', by: RITA, from: RITA, until: at + 72 * HOUR },
  };
}

const subjectOf = (n: Notice): string =>
  compose(n, { profile: defaultProfile(n.recipient), publicUrl: '', now: Date.now() }).subject;

describe('notifications in the console', () => {
  let h: ConsoleHarness;
  const now = Date.now();
  // Newest first, as the list shows them.
  const alices = [
    notice(`n-new/${ALICE}`, ALICE, now - HOUR, 'Apollo', false),
    notice(`n-mid/${ALICE}`, ALICE, now - 2 * HOUR, 'Gemini', true),
    notice(`n-old/${ALICE}`, ALICE, now - 3 * HOUR, 'Mercury', false),
  ];
  const bobs = notice(`n-bob/${BOB}`, BOB, now - HOUR, 'Voyager', false);
  const failedId = `${bobs.id}/email`;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    const { store } = h.api;
    await store.directory.seedFromWorld({ groups: {}, managers: { [BOB]: GRETA }, people: [ALICE, RITA] });
    await store.directory.upsertPerson({ id: BOB, name: 'Bob Schulz' });

    // Two through the queue and one round of the real deliverer (mail and chat are skipped: no
    // SMTP server, no chat target), one straight into the list.
    const [newest, middle, oldest] = alices;
    if (!newest || !middle || !oldest) throw new Error('unreachable');
    await store.deliveries.post([newest, middle]);
    const deliverer = new Deliverer(store, {
      publicUrl: h.api.base,
      senders: { mail: null, chat: new ChatSender() },
    });
    expect(await deliverer.deliverDue()).toBe(6);
    await store.notifications.add(oldest, new Date(oldest.at));

    // Bob's mail failed for good, as the deliverer records it after a refusal.
    await store.deliveries.post([bobs]);
    const claimed = await store.deliveries.claim(new Date(), 60_000, 10);
    expect(claimed.map((d) => d.id)).toContain(failedId);
    await store.deliveries.markFailed(failedId, 'smtp: 550 mailbox unavailable', new Date());
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  /** A signed-in page in a browser of its own, with a viewport and a time zone. */
  async function signIn(
    person: string,
    roles: Role[],
    viewport = DESKTOP,
    timezoneId = 'UTC',
  ): Promise<Page> {
    const context = await h.browser.newContext({ baseURL: h.api.base, viewport, timezoneId });
    const page = await context.newPage();
    await signInWithToken(page, await h.api.tokenFor(person, roles));
    return page;
  }

  const bell = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Notifications/ });
  const rows = (page: Page) => page.locator('.note-list > li');

  test('when notices reach a person, then the bell counts them, the list shows them, and opening one marks it read and lands on its task', async () => {
    const page = await signIn(ALICE, ['approver']);
    await page.getByRole('link', { name: 'Notifications, 3 unread' }).waitFor();
    expect(await bell(page).innerText()).toBe('3');

    // The keyboard alone: Tab from the top of the page to the bell, Enter opens the list.
    await page.goto('/settings/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
    let reached = false;
    for (let i = 0; i < 15 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page
        .evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')
        .then((label) => label.startsWith('Notifications,'));
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();

    await rows(page).nth(2).waitFor();
    expect(await rows(page).count()).toBe(3);
    const texts = await rows(page).allInnerTexts();
    alices.forEach((n, i) => expect(texts[i]).toContain(subjectOf(n)));
    for (const text of texts) expect(text).toMatch(/^New\b/);
    expect(texts[0]).toMatch(/1 hour ago/);
    await page.getByText('Showing 3 notifications, 3 unread').waitFor();
    expect(await screenProblems(page, 'notifications-desktop')).toEqual([]);

    // "Unread only" lives in the URL: a reload keeps it.
    await page.getByLabel('Unread only').check();
    await page.waitForURL((url) => url.searchParams.get('unread') === '1');
    await page.reload();
    expect(await page.getByLabel('Unread only').isChecked()).toBe(true);
    await rows(page).nth(2).waitFor();

    // Opening the newest marks it read and lands on its task.
    const newest = alices[0]!;
    await page.getByRole('link', { name: subjectOf(newest) }).click();
    await page.waitForURL((url) => url.pathname === `/tasks/${encodeURIComponent(newest.task ?? '')}`);
    expect(await h.api.store.notifications.unreadCount(ALICE)).toBe(2);
    await page.getByRole('link', { name: 'Notifications, 2 unread' }).waitFor();

    await page.goto('/notifications');
    await page.getByText('Showing 3 notifications, 2 unread').waitFor();
    expect(await rows(page).first().innerText()).not.toMatch(/^New\b/);
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByText('2 notifications marked as read.').waitFor();
    await page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
    expect(await page.locator('.note-new').count()).toBe(0);
    expect(await h.api.store.notifications.unreadCount(ALICE)).toBe(0);
    await page.context().close();

    const phone = await signIn(ALICE, ['approver'], PHONE);
    await phone.goto('/notifications');
    await rows(phone).nth(2).waitFor();
    expect(await screenProblems(phone, 'notifications-phone')).toEqual([]);
    await phone.getByLabel('Unread only').check();
    await phone.getByText('Nothing unread').waitFor();
    await phone.context().close();
  });

  test('when a person saves how to reach them and what to send where, then a bad webhook is refused at its field and nothing typed is lost', async () => {
    const page = await signIn(ALICE, ['approver'], DESKTOP, 'America/New_York');
    await page.getByRole('banner').getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notification settings' }).waitFor();
    // A profile never set offers the browser's zone and an office week.
    const zone = page.getByLabel('Time zone');
    expect(await zone.inputValue()).toBe('America/New_York');
    expect(await page.getByLabel('Working hours from').inputValue()).toBe('09:00');

    await page.getByLabel('E-mail address').fill('alice@mail.example');
    await page.getByLabel('Slack').check();
    const url = page.getByLabel('Webhook URL');
    await url.fill('http://example.com/hook');
    await page.getByLabel('Saturday').check();
    await page.getByRole('button', { name: 'Save how to reach you' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'The contact details were not saved' });
    await summary.waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    const described = (await url.getAttribute('aria-describedby')) ?? '';
    const problemId = described.split(' ').find((part) => part.endsWith('-problem')) ?? '';
    expect(await page.locator(`[id="${problemId}"]`).innerText()).toContain('https');
    expect(await url.inputValue()).toBe('http://example.com/hook');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe('alice@mail.example');
    expect(await page.getByLabel('Saturday').isChecked()).toBe(true);
    expect(await screenProblems(page, 'settings-refused-desktop')).toEqual([]);
    // The summary's link takes the keyboard to the field.
    await summary.getByRole('link', { name: 'Webhook URL' }).click();
    expect(await url.evaluate((el) => el === document.activeElement)).toBe(true);

    await url.fill('https://hooks.slack.example/services/T1/B2/x');
    await url.press('Enter');
    await page.getByText('Saved. Charter reaches you this way from now on.').waitFor();
    expect(await url.getAttribute('aria-invalid')).toBeNull();
    const profile = (await h.api.store.deliverySettings.of([ALICE])).get(ALICE)?.profile;
    expect(profile).toEqual({
      email: 'alice@mail.example',
      chat: { format: 'slack', url: 'https://hooks.slack.example/services/T1/B2/x' },
      zone: 'America/New_York',
      workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '09:00', to: '17:00' },
    });

    // What to send where: a table of kinds by channel, the digest, quiet hours.
    const table = page.getByRole('table', { name: 'E-mail and chat for each kind of notification' });
    expect(await table.getByRole('rowheader').allInnerTexts()).toEqual([
      'Task assigned to me',
      'Reminder',
      'Escalation',
      'Decision on my request',
      'Check failed: waiver needed',
      'Waiver expiring',
      'Mention',
      'Request ended',
      'Message from a policy step',
      'Findings about my projects',
      'Qualifications about to expire',
    ]);
    await page.getByLabel('Chat: Reminder').uncheck();
    await page.getByLabel('Email: Mention').uncheck();
    await page.getByLabel('Daily digest instead of single mails').check();
    await page.getByLabel('Quiet from … until …').check();
    await page.getByLabel('Quiet from', { exact: true }).fill('12:30');
    await page.getByLabel('Quiet until').fill('12:30');
    await page.getByRole('button', { name: 'Save what to send where' }).click();
    await page.getByRole('alert').filter({ hasText: 'The preferences were not saved' }).waitFor();
    expect(await page.getByLabel('Quiet until').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('must differ from from').first().waitFor();
    expect(await page.getByLabel('Chat: Reminder').isChecked()).toBe(false);

    await page.getByLabel('Quiet until').fill('13:30');
    await page.getByRole('button', { name: 'Save what to send where' }).click();
    await page.getByText('Saved. Notifications follow these choices from now on.').waitFor();
    const preferences = (await h.api.store.deliverySettings.of([ALICE])).get(ALICE)?.preferences;
    expect(preferences?.digest).toBe(true);
    expect(preferences?.quietHours).toEqual({ from: '12:30', to: '13:30' });
    expect(preferences?.channels.reminder).toEqual(['email']);
    expect(preferences?.channels.mention).toEqual(['chat']);
    expect(preferences?.channels.taskAssigned).toEqual(['email', 'chat']);
    expect(await screenProblems(page, 'settings-desktop')).toEqual([]);

    // Saved settings read back as saved, not as suggestions.
    await page.reload();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    expect(await page.getByLabel('Chat: Reminder').isChecked()).toBe(false);
    await page.context().close();

    const phone = await signIn(ALICE, ['approver'], PHONE);
    await phone.goto('/settings/notifications');
    await phone.getByRole('button', { name: 'Save what to send where' }).waitFor();
    expect(await screenProblems(phone, 'settings-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when a delivery failed for good, then an admin sees it with its error and retries it', async () => {
    const phone = await signIn(GRETA, ['admin'], PHONE);
    await phone.goto('/deliveries');
    await phone.getByRole('row').filter({ hasText: BOB }).waitFor();
    expect(await screenProblems(phone, 'deliveries-phone')).toEqual([]);
    await phone.context().close();

    const page = await signIn(GRETA, ['admin']);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { level: 1, name: 'Deliveries' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: BOB });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('E-mail');
    expect(text).toContain(subjectOf(bobs));
    expect(text).toContain('smtp: 550 mailbox unavailable');
    // The subject opens the page its notice is about.
    const href = await row.getByRole('link', { name: subjectOf(bobs) }).getAttribute('href');
    expect(href).toMatch(/^\/(tasks|instances|findings)\/./);
    const failedTile = page.locator('.audit-tile').filter({ hasText: 'Failed' });
    expect(await failedTile.locator('dd').innerText()).toBe('1');
    expect(await screenProblems(page, 'deliveries-desktop')).toEqual([]);

    await row.getByRole('button', { name: /^Retry/ }).click();
    await page.getByText(`Queued again: the e-mail to ${BOB}`).waitFor();
    await page.getByText('No failed deliveries').waitFor();
    expect((await h.api.store.deliveries.get(failedId))?.status).toBe('pending');
    await failedTile.locator('dd').filter({ hasText: /^0$/ }).waitFor();
    expect(await screenProblems(page, 'deliveries-retried-desktop')).toEqual([]);
    await page.context().close();
  });

  test('when an admin edits how someone is reached, then the new settings are kept', async () => {
    const page = await signIn(GRETA, ['admin']);
    await page.goto(`/people/${BOB}`);
    const form = page.getByRole('region', { name: 'Edit how to reach Bob Schulz' });
    await form.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await form.getByRole('button', { name: 'Save how to reach Bob Schulz' }).click();
    await form.getByText('Saved. Charter reaches Bob Schulz this way from now on.').waitFor();
    expect((await h.api.store.deliverySettings.of([BOB])).get(BOB)?.profile.zone).toBe('Asia/Tokyo');
    expect(await screenProblems(page, 'person-delivery-desktop')).toEqual([]);
    await page.context().close();

    const phone = await signIn(GRETA, ['admin'], PHONE);
    await phone.goto(`/people/${BOB}`);
    await phone.getByRole('button', { name: 'Save how to reach Bob Schulz' }).waitFor();
    expect(await screenProblems(phone, 'person-delivery-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when an admin imports people from CSV, then row problems are listed and a good file is imported', async () => {
    const page = await signIn(GRETA, ['admin']);
    await page.goto('/people');
    const section = page.getByRole('region', { name: 'Import people (CSV)' });
    const bad = [
      'id,name,zone,working_days,working_from,working_to',
      `${NEWCOMER},Nina Berg,Mars/Olympus,mon-fri,09:00,17:00`,
      `${BOB},Bob Schulz,Europe/Berlin,mon-fri,9am,17:00`,
    ].join('\n');
    // A picked file lands in the text box, where it can be corrected.
    await section
      .getByLabel('CSV file')
      .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const box = section.getByLabel('Or paste the CSV text');
    await box.filter({ hasText: NEWCOMER }).waitFor();
    await section.getByRole('button', { name: 'Import' }).click();
    const problems = section.getByRole('alert');
    await problems.getByText('The file was not imported').waitFor();
    const listed = await problems.locator('li').allInnerTexts();
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(/^Line 2, zone: not a time zone/);
    expect(listed[1]).toMatch(/^Line 3, working_from: expected a time of day/);
    expect(await box.inputValue()).toBe(bad);
    expect((await h.api.store.deliverySettings.of([NEWCOMER])).get(NEWCOMER)?.known).toBe(false);
    expect(await screenProblems(page, 'people-import-refused-desktop')).toEqual([]);

    await box.fill(bad.replace('Mars/Olympus', 'Europe/Oslo').replace('9am', '09:00'));
    await section.getByRole('button', { name: 'Import' }).click();
    await section.getByText('Imported: 1 person created, 1 person updated.').waitFor();
    const settings = await h.api.store.deliverySettings.of([NEWCOMER, BOB]);
    expect(settings.get(NEWCOMER)?.profile.zone).toBe('Europe/Oslo');
    expect(settings.get(BOB)?.profile.zone).toBe('Europe/Berlin');
    await page.context().close();

    const phone = await signIn(GRETA, ['admin'], PHONE);
    await phone.goto('/people');
    await phone.getByRole('region', { name: 'Import people (CSV)' }).waitFor();
    expect(await screenProblems(phone, 'people-import-phone')).toEqual([]);
    await phone.context().close();
  });
});

// The README walkthrough in the browser, as one story on real servers (API, worker, Temporal, the
// MongoDB-wire server, the demo check service) with one Chromium and a context per person. The
// policy and the input are read out of README.md, as in test/integration/walkthrough.test.ts: the
// author publishes; Rita starts the purchase through the start form; Henrik opens the link in the
// mail Charter sent him (a real SMTP server), signs in and lands on the task, and delegates the
// manager's review to her; her approval of her own purchase is refused for segregation of duties;
// Henrik approves with the keyboard alone; the device-baseline check fails and Henrik, an IT
// director, waives it; Rita's open instance page turns "approved" without a reload; Simon, the
// auditor, finds the instance's events, downloads them as CSV and verifies the chains.
// With CHARTER_README_SCREENSHOTS=1 it also writes the README's pictures to web/screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { World } from '../../engine/simulate/world.js';
import { startDemoChecks, type DemoChecks } from '../../scripts/demo-checks.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { SmtpSender } from '../../workflows/notify/transport/smtp.js';
import {
  type ConsoleHarness,
  screenProblems,
  signInWithToken,
  startConsoleHarness,
} from '../support/browser.js';
import { startMailServer, type MailServer } from '../support/mail-server.js';
import { until } from '../support/until.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const walkthrough = readme.slice(readme.indexOf('## Walkthrough'));

/** The first fenced block of `language` in the walkthrough section. */
function block(language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(walkthrough);
  if (!match?.[1]) throw new Error(`README.md: no \`\`\`${language} block in the walkthrough`);
  return match[1];
}

const TOMAS = 'tomas.berg@halden.example';
const RITA = 'rita.sommer@halden.example';
const HENRIK = 'henrik.larsen@halden.example';
const SIMON = 'simon.frey@halden.example';
const WAIVER_REASON = 'encryption is enforced by Intune before the laptops ship';

/** The README's pictures are taken at this size; the story runs at it too (a desktop). */
const VIEWPORT = { width: 1280, height: 800 };
/** Committed files: written only when asked for, so that `npm test` leaves them alone. */
const README_SHOTS = process.env['CHARTER_README_SCREENSHOTS'] === '1';
const README_SHOTS_DIR = fileURLToPath(new URL('../../web/screenshots/', import.meta.url));
/** Live pages poll every 2 s; the wait is generous for a loaded machine (never asserted on). */
const LIVE_WAIT = { timeout: 30_000 };

interface TaskItem {
  id: string;
  instanceId: string;
  step: string;
  kind: string;
}

describe('the README walkthrough in the console', () => {
  let h: ConsoleHarness;
  let checks: DemoChecks;
  let mail: MailServer;
  let mailer: SmtpSender;
  let deliverer: Deliverer;
  let mailContext: BrowserContext | null = null;
  const input = JSON.parse(block('json')) as { requester: string; item: string; budget: string };
  const token: Record<string, string> = {};
  let rita: Page;
  let henrik: Page;
  let instanceId = '';
  let reviewTask = '';

  beforeAll(async () => {
    checks = await startDemoChecks();
    h = await startConsoleHarness(import.meta.url, { checkServices: checks.services });
    const world = JSON.parse(
      readFileSync(new URL('../../policies/shared/org.world.json', import.meta.url), 'utf8'),
    ) as World;
    await h.api.store.directory.seedFromWorld(world);
    token['tomas'] = await h.api.tokenFor(TOMAS, ['author']);
    token['henrik'] = await h.api.tokenFor(HENRIK, ['approver']);
    // The worker's deliverer, mailing links into this console.
    mail = await startMailServer();
    mailer = new SmtpSender({
      host: '127.0.0.1',
      port: mail.port,
      starttls: 'off',
      user: null,
      password: null,
      from: 'charter@halden.example',
    });
    deliverer = new Deliverer(h.api.store, {
      publicUrl: h.api.base,
      senders: { mail: mailer, chat: new ChatSender() },
      pollMs: 200,
    });
    deliverer.start((line) => console.error(line));
    const published = await h.api.call('POST', '/v1/policies', {
      token: token['tomas'] ?? null,
      body: { entry: 'laptop-purchase.charter', files: { 'laptop-purchase.charter': block('charter') } },
    });
    if (published.status !== 201) throw new Error(`publish: ${published.status} ${published.text}`);
  }, 180_000);

  afterAll(async () => {
    await deliverer?.stop();
    mailer?.close();
    await mail?.close();
    await mailContext?.close();
    await h?.close();
    await checks?.close();
  });

  /** Henrik's open task of this instance at `step`, once the worker has opened it. */
  const henriksTask = async (step: string): Promise<TaskItem> => {
    const inbox = await until(
      `the ${step} task`,
      async () =>
        (
          await h.api.call<{ items: TaskItem[] }>('GET', '/v1/tasks/inbox?limit=500', {
            token: token['henrik'] ?? null,
          })
        ).body.items,
      (items) => items.some((t) => t.instanceId === instanceId && t.step === step),
    );
    const task = inbox.find((t) => t.instanceId === instanceId && t.step === step);
    if (!task) throw new Error('unreachable');
    return task;
  };

  const row = (page: Page, taskId: string) => page.locator(`.inbox-row-slot[data-task-id="${taskId}"]`);
  const panel = (page: Page) => page.locator('.inbox-panel');

  /** The step list's line for `step` once it reads `state` (it is folded away: attached is enough). */
  const stepInState = (page: Page, step: string, state: string): Promise<void> =>
    page
      .locator(`.diagram-steps li.step-${state}`, {
        has: page.locator('strong', { hasText: new RegExp(`^${step}$`) }),
      })
      .waitFor({ state: 'attached', ...LIVE_WAIT });

  /** One of the README's pictures: the viewport only, small enough to commit. */
  async function readmeShot(page: Page, name: string): Promise<void> {
    if (!README_SHOTS) return;
    mkdirSync(README_SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: `${README_SHOTS_DIR}${name}.png`, type: 'png' });
  }

  test('when Rita starts the purchase through the start form, then she lands on its page, which draws the process and says it waits on manager_review', async () => {
    rita = await h.signIn(RITA, ['requester', 'approver'], VIEWPORT);
    await rita
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Start a request' })
      .click();
    const card = rita.locator('.policy-card', {
      has: rita.getByRole('heading', { name: 'Laptop purchase' }),
    });
    await card.getByRole('link', { name: /Purchase\s*purchase/ }).click();

    // The requester through the directory search, as a person would pick her.
    const requester = rita.getByLabel('Requester', { exact: true });
    await requester.fill('rita.som');
    await rita.getByRole('option', { name: new RegExp(input.requester) }).click();
    expect(await requester.inputValue()).toBe(input.requester);
    await rita.getByLabel('Item', { exact: true }).fill(input.item);
    // The policy's `budget: money` fixes no currency: an amount and its own currency field.
    const [amount, currency] = input.budget.split(' ');
    await rita.getByLabel('Budget', { exact: true }).fill(amount ?? '');
    await rita.getByLabel('Budget currency', { exact: true }).fill(currency ?? '');
    expect(await screenProblems(rita, 'walkthrough-1-start-form')).toEqual([]);
    await rita.getByRole('button', { name: 'Start the request' }).click();

    await rita.waitForURL(/\/instances\/purchase-/);
    instanceId = decodeURIComponent(new URL(rita.url()).pathname.split('/').pop() ?? '');
    // Marked now; still marked at the end proves the page was never reloaded.
    await rita.evaluate('window.notReloaded = true');
    const diagram = rita.getByRole('img', { name: /^Diagram of purchase:/ });
    await diagram.waitFor(LIVE_WAIT);
    await stepInState(rita, 'manager_review', 'current');
    const standing = rita.getByRole('region', { name: 'Where it stands' });
    await standing.locator('.standing-step', { hasText: 'manager_review' }).waitFor(LIVE_WAIT);
    // Once the approvers are resolved: what it waits for, and by when.
    await standing
      .locator('.blocked li', { hasText: 'approval from manager_review' })
      .getByText(/^Due /)
      .waitFor(LIVE_WAIT);
    expect(await screenProblems(rita, 'walkthrough-1-instance-running')).toEqual([]);

    // What the form sent is the README's input, as the engine reads it.
    const detail = await h.api.call<{ input: Record<string, unknown> }>(
      'GET',
      `/v1/instances/${encodeURIComponent(instanceId)}`,
      { token: token['henrik'] ?? null },
    );
    expect(detail.body.input).toEqual({
      requester: input.requester,
      item: input.item,
      budget: { amount: '18000', currency: 'EUR' },
    });
  }, 90_000);

  test('when Henrik opens the link in his mail, then he signs in, lands on the task and can delegate his decisions to Rita for a week', async () => {
    reviewTask = (await henriksTask('manager_review')).id;
    const [message] = await until(
      "Henrik's mail about manager_review",
      () =>
        Promise.resolve(mail.mails.filter((m) => m.to.includes(HENRIK) && /manager_review/.test(m.subject))),
      (mails) => mails.length > 0,
      30_000,
    );
    const link =
      message?.text
        .split('\n')
        .map((line) => line.trim())
        .find((line) => line.startsWith(`${h.api.base}/tasks/`)) ?? '';
    expect(decodeURIComponent(link.slice(`${h.api.base}/tasks/`.length))).toBe(reviewTask);
    // A fresh browser, signed out, as a mail client would open it: the sign-in comes first, and
    // opening the link decides nothing.
    mailContext = await h.browser.newContext({ baseURL: h.api.base, viewport: VIEWPORT });
    henrik = await mailContext.newPage();
    await henrik.goto(link);
    await henrik.waitForURL(/\/sign-in\?next=/);
    await signInWithToken(henrik, await h.api.tokenFor(HENRIK, ['approver']), henrik.url());
    await henrik.waitForURL((url) => url.pathname === new URL(link).pathname);
    await panel(henrik).getByText(input.item).first().waitFor(LIVE_WAIT);
    expect(await row(henrik, reviewTask).count()).toBe(1);
    await panel(henrik).getByText(`${HENRIK} (you)`).waitFor(LIVE_WAIT);
    expect(await screenProblems(henrik, 'walkthrough-2-inbox-task')).toEqual([]);
    await readmeShot(henrik, 'inbox');

    await panel(henrik).getByRole('button', { name: 'Delegate' }).click();
    const dialog = henrik.getByRole('dialog', { name: 'Delegate?' });
    const to = dialog.getByLabel('Delegate to');
    await to.fill('rita');
    await dialog.getByRole('option', { name: new RegExp(RITA) }).click();
    expect(await to.inputValue()).toBe(RITA);
    // Seven days ahead, in the browser's own calendar.
    const weekAhead = await henrik.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 7);
      const pad = (n: number): string => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    });
    await dialog.getByLabel('Until (including)').fill(weekAhead);
    expect(await screenProblems(henrik, 'walkthrough-2-delegate')).toEqual([]);
    await dialog.getByRole('button', { name: 'Delegate', exact: true }).click();
    await henrik.getByRole('status').getByText(`Delegated your decisions to ${RITA}`).waitFor();
  }, 90_000);

  test('when Rita approves her own purchase on Henrik’s behalf, then the refusal shows the engine’s code and why', async () => {
    // Her instance page stays open in its tab; the inbox opens in a second one.
    const inbox = await rita.context().newPage();
    await inbox.goto('/inbox');
    await row(inbox, reviewTask).getByText(`on behalf of ${HENRIK}`).waitFor(LIVE_WAIT);
    await row(inbox, reviewTask).getByRole('link').click();
    await panel(inbox).getByText('You stand in for').waitFor(LIVE_WAIT);
    await panel(inbox)
      .getByRole('button', { name: /^Approve/ })
      .click();
    await inbox
      .getByRole('dialog', { name: 'Approve?' })
      .getByRole('button', { name: 'Approve', exact: true })
      .click();
    const refusal = panel(inbox).getByRole('alert');
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toContain('excluded');
    expect(text).toMatch(/segregation of duties/i);
    expect(await screenProblems(inbox, 'walkthrough-3-refused')).toEqual([]);
    await inbox.close();
  }, 60_000);

  test('when Henrik approves with the keyboard alone, then the task leaves his inbox', async () => {
    // No mouse from here: Escape closes the panel and puts the focus on the task in the list.
    await henrik.keyboard.press('Escape');
    await panel(henrik).waitFor({ state: 'detached' });
    expect(new URL(henrik.url()).pathname).toBe('/inbox');
    await henrik.keyboard.press('j');
    await henrik.waitForFunction(
      (id) => document.activeElement?.closest('.inbox-row-slot')?.getAttribute('data-task-id') === id,
      reviewTask,
    );
    await henrik.keyboard.press('Enter');
    await panel(henrik).getByText(input.item).first().waitFor(LIVE_WAIT);
    await henrik.keyboard.press('a');
    const dialog = henrik.getByRole('dialog', { name: 'Approve?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('manager_review');
    await henrik.keyboard.press('Enter');
    await row(henrik, reviewTask).waitFor({ state: 'detached' });
    await henrik
      .getByRole('status')
      .getByText(/Approved “.*manager_review.*”/)
      .waitFor();
  }, 60_000);

  test('when the device-baseline check fails, then the waiver reaches Henrik, who waives it with the README’s reason', async () => {
    const waiver = await henriksTask('device_baseline');
    expect(waiver.kind).toBe('waiver');
    // The open inbox shows it without a reload.
    const waiverRow = row(henrik, waiver.id);
    await waiverRow.waitFor(LIVE_WAIT);
    expect(await waiverRow.innerText()).toContain('device_baseline');
    await waiverRow.getByRole('link').click();
    await panel(henrik).getByText(input.item).first().waitFor(LIVE_WAIT);
    expect(await screenProblems(henrik, 'walkthrough-5-waiver')).toEqual([]);
    await panel(henrik).getByRole('button', { name: 'Waive' }).click();
    const dialog = henrik.getByRole('dialog', { name: 'Waive?' });
    await dialog.getByLabel('Reason for the waiver').fill(WAIVER_REASON);
    await dialog.getByRole('button', { name: 'Waive', exact: true }).click();
    await waiverRow.waitFor({ state: 'detached' });
    await henrik
      .getByRole('status')
      .getByText(/Waived “/)
      .waitFor();
  }, 90_000);

  test('when the instance ends, then Rita’s open page shows it approved without a reload', async () => {
    await rita.locator('h1 .badge-approved').waitFor(LIVE_WAIT);
    const ended = rita.getByRole('region', { name: 'How it ended' });
    await ended.getByText(`${input.item} may be ordered`).waitFor(LIVE_WAIT);
    await stepInState(rita, 'manager_review', 'done');
    expect(await rita.evaluate<boolean>('window.notReloaded === true')).toBe(true);
    expect(await screenProblems(rita, 'walkthrough-6-instance-approved')).toEqual([]);
    // The README's picture: the diagram in view.
    await rita.getByRole('heading', { name: 'The process' }).scrollIntoViewIfNeeded();
    await readmeShot(rita, 'instance');
  }, 60_000);

  test('when Simon audits the instance, then its events include Rita’s refused attempt, the CSV holds them and the chains are intact', async () => {
    const simon = await h.signIn(SIMON, ['auditor'], VIEWPORT);
    expect(new URL(simon.url()).pathname).toBe('/audit');
    await simon
      .getByRole('search', { name: 'Search the ledger' })
      .getByLabel('Instance', { exact: true })
      .fill(instanceId);
    await simon.getByRole('button', { name: 'Search', exact: true }).click();
    await simon.getByText(/^Showing \d+ events/).waitFor();
    expect(new URL(simon.url()).searchParams.get('instance')).toBe(instanceId);
    const refusedRow = simon.locator('table.audit-table tbody tr').filter({ hasText: 'refused' });
    await refusedRow.first().waitFor();
    expect(await refusedRow.first().innerText()).toContain(RITA);

    const [download] = await Promise.all([
      simon.waitForEvent('download'),
      simon.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const [header, ...lines] = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split(/\r?\n/);
    expect(header?.split(',').slice(0, 3)).toEqual(['id', 'chain', 'seq']);
    expect(header).toContain('prevHash');
    expect(lines.length).toBeGreaterThan(0);
    const refusedLines = lines.filter((l) => l.includes(`${instanceId}/refused`));
    expect(refusedLines.length).toBeGreaterThan(0);
    expect(refusedLines.some((l) => l.includes(RITA) && l.includes('excluded'))).toBe(true);

    await simon.getByRole('button', { name: 'Verify this instance' }).click();
    await simon.getByText(/^Intact: \d+ events in 2 chains$/).waitFor();
    expect(await screenProblems(simon, 'walkthrough-7-audit')).toEqual([]);
    // The README's picture: the verdict and the first events in view.
    await simon.evaluate(() => document.querySelector('.audit-tools')?.scrollIntoView({ block: 'start' }));
    await readmeShot(simon, 'audit');
  }, 90_000);
});

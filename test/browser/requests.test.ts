// The requester's screens in Chromium against the API, worker, Temporal and the MongoDB-wire
// server: a request is started through the form generated from a published process's typed input
// (a wrong amount is named at its field in the API's own words and nothing typed is lost), it is
// listed under My requests with what it waits on, an approver's request for changes shows there
// and leads to withdrawing and starting again from a filled-in form, and a refusal by the server
// (a new policy version took effect while the form was open) lands next to the field it concerns.
// The screens pass axe and fit a phone.
import type { Page } from 'playwright-core';
import {
  type ConsoleHarness,
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
} from '../support/browser.js';
import { until } from '../support/until.js';

const POLICY_NAME = 'Requests console';
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role cab = group "requests-cab"

process change {
  input {
    title: text
    budget: money EUR
    risk: "low" | "medium" | "high" = "medium"
    go_live: date
    urgent: boolean = false
    implementer: person
    systems: list of text optional
  }
  approve cab_review {
    by cab
    any
    within 5 days
    on timeout escalate to cab
    allow changes
  }
  end approved "{request.title} approved"
}
`;

const ORDER_NAME = 'Requests console orders';
const order = (
  version: number,
  currency: string,
): string => `policy "${ORDER_NAME}" version ${version} effective 2026-01-01
owner "pmo@halden.example"

process order {
  input {
    item: text
    price: money ${currency}
  }
  end approved "{request.item} ordered"
}
`;

const RITA = 'rita.requester@halden.example';
const NEWCOMER = 'nora.newcomer@halden.example';
const CARL = 'carl.cab@halden.example';
const IVAN = 'ivan.implementer@halden.example';
const PAULA = 'paula.prolific@halden.example';

interface Detail {
  status: string;
  input: Record<string, unknown> | null;
}

describe("the requester's screens", () => {
  let h: ConsoleHarness;
  const tokens: Record<string, string> = {};
  let rita: Page;
  let instanceId = '';

  const publish = async (file: string, text: string): Promise<void> => {
    await h.api.publish(text, file);
  };

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url);
    await h.api.store.directory.seedFromWorld({
      groups: { 'requests-cab': [CARL] },
      managers: {},
      people: [RITA, IVAN, NEWCOMER, PAULA],
    });
    await publish('change.charter', POLICY);
    await publish('order.charter', order(1, 'EUR'));
    tokens[CARL] = await h.api.tokenFor(CARL, ['approver']);
    tokens[RITA] = await h.api.tokenFor(RITA, ['requester']);
    tokens[PAULA] = await h.api.tokenFor(PAULA, ['requester']);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  const detail = async (id: string): Promise<Detail> =>
    (
      await h.api.call<Detail>('GET', `/v1/instances/${encodeURIComponent(id)}`, {
        token: tokens[RITA] ?? null,
      })
    ).body;

  const value = (page: Page, label: string): Promise<string> =>
    page.getByLabel(label, { exact: true }).inputValue();

  test('when a request is started through the generated form, then a wrong amount is named at its field in the API words, nothing typed is lost, and the fixed request starts', async () => {
    rita = await h.signIn(RITA, ['requester'], DESKTOP);
    await rita.goto('/start');
    const link = rita.getByRole('link', { name: /Change\s*change/ });
    await link.waitFor();
    expect(await screenProblems(rita, 'start-chooser-desktop')).toEqual([]);
    await link.click();

    await rita.getByLabel('Title', { exact: true }).waitFor();
    expect(await value(rita, 'Risk')).toBe('medium');
    expect(await rita.getByText('Systems (optional)').count()).toBe(1);
    await rita.getByLabel('Title', { exact: true }).fill('New VPN concentrator');
    await rita.getByLabel('Budget', { exact: true }).fill('18.000,50');
    await rita.getByLabel('Risk', { exact: true }).selectOption('high');
    await rita.getByLabel('Go live', { exact: true }).fill('2026-06-01');
    await rita.getByLabel('Urgent', { exact: true }).check();
    await rita.getByLabel('Implementer', { exact: true }).fill(IVAN);
    await rita.getByRole('button', { name: 'Add an item to Systems' }).click();
    await rita.getByLabel('Systems, item 1', { exact: true }).fill('vpn-gw-1');

    // The problem the API gives for the same input, at body.input.budget, is the one the field shows.
    const refused = await h.api.call<{ error: { problems: { path: string; message: string }[] } }>(
      'POST',
      '/v1/instances',
      {
        token: tokens[RITA] ?? null,
        body: {
          policy: POLICY_NAME,
          process: 'change',
          input: {
            title: 'New VPN concentrator',
            budget: '18.000,50 EUR',
            risk: 'high',
            go_live: '2026-06-01',
            urgent: true,
            implementer: IVAN,
            systems: ['vpn-gw-1'],
          },
        },
      },
    );
    expect(refused.status).toBe(422);
    const budgetProblem = refused.body.error.problems.find((p) => p.path === 'body.input.budget');
    expect(budgetProblem).toBeDefined();
    const fieldProblem = rita.locator('#in-budget-problem');
    await fieldProblem.waitFor();
    expect(await fieldProblem.innerText()).toBe(budgetProblem?.message);

    await rita.getByRole('button', { name: 'Start the request' }).click();
    const summary = rita.locator('.problem-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain(`Budget: ${budgetProblem?.message ?? ''}`);
    await rita.waitForFunction(() => document.activeElement?.classList.contains('problem-summary') === true);
    expect(new URL(rita.url()).pathname).toBe('/start/Requests%20console/1/change');
    expect(await screenProblems(rita, 'start-form-problem-desktop')).toEqual([]);
    expect(await value(rita, 'Title')).toBe('New VPN concentrator');
    expect(await value(rita, 'Budget')).toBe('18.000,50');
    expect(await value(rita, 'Implementer')).toBe(IVAN);
    expect(await value(rita, 'Systems, item 1')).toBe('vpn-gw-1');

    // The summary's link goes to the field.
    await summary.getByRole('link', { name: 'Budget' }).click();
    expect(await rita.evaluate(() => document.activeElement?.id)).toBe('in-budget');
    await rita.getByLabel('Budget', { exact: true }).fill('18000');
    await rita.locator('#in-budget-problem').waitFor({ state: 'detached' });
    await rita.getByRole('button', { name: 'Start the request' }).click();
    await rita.waitForURL(/\/instances\//);
    instanceId = decodeURIComponent(new URL(rita.url()).pathname.split('/').pop() ?? '');

    const started = await until(
      'the stored input',
      () => detail(instanceId),
      (d) => d.input !== null,
    );
    expect(started.input).toEqual({
      title: 'New VPN concentrator',
      budget: { amount: '18000', currency: 'EUR' },
      risk: 'high',
      go_live: '2026-06-01',
      urgent: true,
      implementer: IVAN,
      systems: ['vpn-gw-1'],
    });
  });

  test('when the requester opens My requests, then the request is listed with what it waits on, and an approver asking for changes leads to withdrawing it and starting again from its values', async () => {
    await rita.goto('/requests');
    const card = rita.locator('.request-card', { hasText: instanceId });
    await card.getByText('Waiting on').waitFor();
    expect(await card.innerText()).toContain('cab_review');
    expect(await card.innerText()).toMatch(/Due in \d+ (days?|hours?)/);
    expect(await card.getByText('In progress').count()).toBe(1);
    expect(await screenProblems(rita, 'requests-desktop')).toEqual([]);

    const inbox = await until(
      "the cab's task",
      () =>
        h.api.call<{ items: { id: string; instanceId: string }[] }>('GET', '/v1/tasks/inbox', {
          token: tokens[CARL] ?? null,
        }),
      (a) => a.body.items.some((t) => t.instanceId === instanceId),
    );
    const task = inbox.body.items.find((t) => t.instanceId === instanceId);
    const asked = await h.api.call('POST', `/v1/tasks/${encodeURIComponent(task?.id ?? '')}/decide`, {
      token: tokens[CARL] ?? null,
      body: { decision: 'requestChanges', reason: 'add a rollback plan for the old gateway' },
    });
    expect(asked.status).toBe(200);

    // Live: the page shows it without a reload.
    const changes = card.locator('.changes-requested');
    await changes.getByText('add a rollback plan for the old gateway').waitFor();
    expect(await changes.innerText()).toContain(CARL);
    expect(await screenProblems(rita, 'requests-changes-desktop')).toEqual([]);

    await changes.getByRole('button', { name: 'Withdraw and start again with changes' }).click();
    const dialog = rita.getByRole('dialog', { name: 'Withdraw this request and start again?' });
    await dialog.waitFor();
    await rita.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await changes.getByRole('button', { name: 'Withdraw and start again with changes' }).click();
    await dialog.getByRole('button', { name: 'Withdraw and start again' }).click();
    await rita.waitForURL(/\/start\/Requests%20console\/1\/change\?from=/);

    await rita.getByText('add a rollback plan for the old gateway').waitFor();
    expect(await value(rita, 'Title')).toBe('New VPN concentrator');
    expect(await value(rita, 'Budget')).toBe('18000');
    expect(await value(rita, 'Risk')).toBe('high');
    expect(await value(rita, 'Systems, item 1')).toBe('vpn-gw-1');
    expect((await detail(instanceId)).status).toBe('cancelled');

    await rita.setViewportSize(PHONE);
    expect(await screenProblems(rita, 'start-prefilled-phone')).toEqual([]);
    await rita.goto('/requests');
    await rita.locator('.request-card', { hasText: instanceId }).getByText('Cancelled').waitFor();
    expect(await screenProblems(rita, 'requests-phone')).toEqual([]);
    await rita.setViewportSize(DESKTOP);
  });

  test('when a new policy version takes effect while the form is open, then the refusal of the server shows at the field and the version notice appears', async () => {
    await rita.goto('/start');
    await rita.getByRole('link', { name: /Order\s*order/ }).click();
    await rita.getByLabel('Item', { exact: true }).fill('Two docking stations');
    await rita.getByLabel('Price', { exact: true }).fill('480');
    await publish('order.charter', order(2, 'USD'));

    await rita.getByRole('button', { name: 'Start the request' }).click();
    const problem = rita.locator('#in-price-problem');
    await problem.waitFor();
    expect(await problem.innerText()).toBe('expected an amount in USD, got EUR');
    const summary = rita.locator('.problem-summary');
    expect(await summary.innerText()).toContain('invalid-input');
    await rita.getByText('Version 2 of Requests console orders is in effect now').waitFor();
    expect(await value(rita, 'Item')).toBe('Two docking stations');
    expect(await screenProblems(rita, 'start-refused-desktop')).toEqual([]);

    // Typing in the field clears what the server said about its old value.
    await rita.getByLabel('Price', { exact: true }).fill('490');
    await problem.waitFor({ state: 'detached' });
  });

  test('when someone has started nothing yet, then My requests says so and links to starting one, on a phone', async () => {
    const page = await h.signIn(NEWCOMER, ['requester'], PHONE);
    await page.goto('/requests');
    await page.getByText('You have not started any request').waitFor();
    expect(await page.getByRole('link', { name: 'Start a request' }).count()).toBeGreaterThan(0);
    expect(await screenProblems(page, 'requests-empty-phone')).toEqual([]);
    await page.goto('/start');
    await page.getByRole('link', { name: /Change\s*change/ }).click();
    await page.getByLabel('Title', { exact: true }).waitFor();
    expect(await screenProblems(page, 'start-form-phone')).toEqual([]);
  });

  test('when there are more requests than a page, then "Load more" reads the next page by its cursor, and the status filter narrows the list', async () => {
    // Orders end at once (approved); one change stays running.
    for (let i = 1; i <= 21; i += 1) {
      const started = await h.api.call('POST', '/v1/instances', {
        token: tokens[PAULA] ?? null,
        body: { policy: ORDER_NAME, process: 'order', input: { item: `Cable ${i}`, price: `${i} USD` } },
      });
      expect(started.status).toBe(201);
    }
    const change = await h.api.call<{ instanceId: string }>('POST', '/v1/instances', {
      token: tokens[PAULA] ?? null,
      body: {
        policy: POLICY_NAME,
        process: 'change',
        input: { title: 'Printer', budget: '300 EUR', go_live: '2026-07-01', implementer: IVAN },
      },
    });
    expect(change.status).toBe(201);
    const listed = await until(
      'all 22 listed',
      () =>
        h.api.call<{ items: { instanceId: string }[] }>(
          'GET',
          `/v1/instances?startedBy=${encodeURIComponent(PAULA)}&limit=100`,
          {
            token: tokens[PAULA] ?? null,
          },
        ),
      (a) => a.body.items.length === 22,
    );

    const page = await h.signIn(PAULA, ['requester'], DESKTOP);
    await page.goto('/requests');
    const cards = page.locator('.request-card');
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    expect(await cards.count()).toBe(20);
    // Newest first, in the API's order (started as the worker recorded it: not always the order of
    // the POSTs on a loaded machine, so the API's own first item is the reference).
    expect(listed.body.items.map((i) => i.instanceId)).toContain(change.body.instanceId);
    expect(await cards.first().innerText()).toContain(listed.body.items[0]?.instanceId ?? '?');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.request-card').length === 22);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByRole('button', { name: 'In progress', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.request-card').length === 1);
    expect(await cards.first().innerText()).toContain(change.body.instanceId);
    await page.getByRole('button', { name: 'Rejected', exact: true }).click();
    await page.getByText('None of your requests is rejected').waitFor();
  });
});

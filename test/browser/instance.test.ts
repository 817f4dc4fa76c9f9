// The instance screen in Chromium against the API on real servers: a requester follows a request
// through a policy with an `if` and a parallel block. The diagram marks the current steps; an
// approver's decision (through the API) shows on the open page without a reload; a reason's
// policy-line link opens the excerpt of the version that decided; the requester cancels; a
// stranger gets the same "not found" as for an id that does not exist; phone and desktop pass axe.
import type { Page } from 'playwright-core';
import {
  type ConsoleHarness,
  DESKTOP,
  PHONE,
  screenProblems,
  screenshot,
  startConsoleHarness,
} from '../support/browser.js';

const POLICY_NAME = 'Instance screen purchase';
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role finance = group "instance-finance"
role security = group "instance-security"
role directors = group "instance-directors"

rule costly = request.budget >= 10_000 EUR
  because "purchases of 10,000 EUR or more need a director"

process purchase {
  input {
    requester: person
    item: text
    budget: money EUR
  }
  check item_named:
    require length(request.item) >= 3
    else "name the item in a few words"
  if costly {
    approve director_review {
      by directors
      not request.requester
      within 3 days
    }
  } else {
    notify small_purchase: request.requester: "{request.item} is a small purchase"
  }
  parallel {
    branch money {
      approve finance_review {
        by finance
        not request.requester
        within 5 days
      }
      notify finance_told: request.requester: "finance approved {request.item}"
    }
    branch safety {
      approve security_review {
        by security
        within 5 days
      }
    }
  }
  end approved "{request.item} approved"
}
`;

const RITA = 'rita.requester@halden.example';
const FINN = 'finn.finance@halden.example';
const SAM = 'sam.security@halden.example';
const DORA = 'dora.director@halden.example';
const STRANGER = 'stan.stranger@halden.example';

/** Live pages poll every 2 s; the bar is "within 5 s", the wait is generous for a loaded machine. */
const LIVE_WAIT = { timeout: 30_000 };

interface TaskItem {
  id: string;
  instanceId: string;
  step: string;
}

describe('the instance screen', () => {
  let h: ConsoleHarness;
  let instanceId = '';
  let rita: Page;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url);
    await h.api.store.directory.seedFromWorld({
      groups: { 'instance-finance': [FINN], 'instance-security': [SAM], 'instance-directors': [DORA] },
      managers: {},
      people: [RITA, STRANGER],
    });
    await h.api.publish(POLICY, 'purchase.charter');
    const started = await h.api.call<{ instanceId: string }>('POST', '/v1/instances', {
      token: await h.api.tokenFor(RITA, ['requester']),
      body: {
        policy: POLICY_NAME,
        process: 'purchase',
        input: { requester: RITA, item: 'standing desk', budget: { amount: 2000, currency: 'EUR' } },
      },
    });
    if (started.status !== 201) throw new Error(`start answered ${started.status}: ${started.text}`);
    instanceId = started.body.instanceId;
    rita = await h.signIn(RITA, ['requester'], DESKTOP);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  const open = async (page: Page): Promise<void> => {
    await page.goto(`/instances/${encodeURIComponent(instanceId)}`);
  };

  /** The step list's line for `step` once it reads `state` (the list says in words what the picture shows). */
  const stepInState = (page: Page, step: string, state: string): Promise<void> =>
    page
      .locator(`.diagram-steps li.step-${state}`, {
        has: page.locator('strong', { hasText: new RegExp(`^${step}$`) }),
      })
      // The list is folded away under its summary: attached is what counts, not visible.
      .waitFor({ state: 'attached', ...LIVE_WAIT });

  test('when the requester opens a running request, then the diagram shows its steps with the current ones marked', async () => {
    await open(rita);
    await rita.getByRole('heading', { level: 1, name: /Purchase/ }).waitFor();
    const diagram = rita.getByRole('img', { name: /^Diagram of purchase:/ });
    await diagram.waitFor(LIVE_WAIT);
    await stepInState(rita, 'finance_review', 'current');
    await stepInState(rita, 'security_review', 'current');
    // The `if` went the cheap way: the director's review will never run.
    await stepInState(rita, 'director_review', 'skipped');
    expect(await diagram.getAttribute('aria-label')).toBe(
      'Diagram of purchase: 9 steps: 3 done, 3 current, 1 skipped, 2 pending',
    );
    // What the current steps wait for, in words, with a due date in the reader's time zone.
    const standing = rita.getByRole('region', { name: 'Where it stands' });
    await standing.getByText(/more approval from finance_review/).waitFor(LIVE_WAIT);
    expect(await standing.locator('.due').first().textContent()).toMatch(/^Due .*\d{4}/);
  }, 90_000);

  test('when the approver opens it, then their task is listed with a link to it', async () => {
    const finn = await h.signIn(FINN, ['approver'], DESKTOP);
    await open(finn);
    const tasks = finn.getByRole('region', { name: 'Tasks and comments' });
    const link = tasks.getByRole('link', { name: /finance_review|purchase/i });
    await link.waitFor(LIVE_WAIT);
    expect(decodeURIComponent((await link.getAttribute('href')) ?? '')).toMatch(
      new RegExp(`^/tasks/${instanceId}/finance_review#`),
    );
    await tasks.getByText('No comments yet. Open the task to write one.').waitFor();
    // Not the requester: no cancel button.
    expect(await finn.getByRole('button', { name: 'Cancel this request' }).count()).toBe(0);
  }, 60_000);

  test('when an approver decides, then the open page shows the step done without a reload', async () => {
    // Strings: the expressions run in the page, where `window` exists (this file has no DOM types).
    await rita.evaluate('window.notReloaded = true');
    const finnToken = await h.api.tokenFor(FINN, ['approver']);
    const inbox = await h.api.call<{ items: TaskItem[] }>('GET', '/v1/tasks/inbox?limit=500', {
      token: finnToken,
    });
    const task = inbox.body.items.find((t) => t.instanceId === instanceId && t.step === 'finance_review');
    if (!task) throw new Error('no finance_review task in the approver inbox');
    const decided = await h.api.call('POST', `/v1/tasks/${encodeURIComponent(task.id)}/decide`, {
      token: finnToken,
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);

    await stepInState(rita, 'finance_review', 'done');
    await stepInState(rita, 'finance_told', 'done');
    await stepInState(rita, 'security_review', 'current');
    await rita.locator('.timeline .event-action', { hasText: FINN }).waitFor(LIVE_WAIT);
    expect(await rita.evaluate<boolean>('window.notReloaded === true')).toBe(true);
  }, 90_000);

  test('when a reason’s policy line is clicked, then the excerpt shows that line highlighted', async () => {
    const reason = rita
      .locator('.timeline .reasons li')
      .filter({ has: rita.locator('.source-link') })
      .first();
    await reason.waitFor(LIVE_WAIT);
    const link = reason.locator('.source-link');
    const line = Number(/line (\d+)/.exec((await link.textContent()) ?? '')?.[1]);
    await link.click();
    expect(await link.getAttribute('aria-expanded')).toBe('true');
    const excerpt = reason.locator('.excerpt');
    await excerpt.waitFor(LIVE_WAIT);
    expect(await excerpt.locator('figcaption').textContent()).toContain('purchase.charter');
    const hit = excerpt.locator('.excerpt-hit').first();
    expect(await hit.locator('.excerpt-no').textContent()).toBe(String(line));
    expect(await hit.locator('.excerpt-text').textContent()).toBe(POLICY.split('\n')[line - 1]);
    // Context around it: the lines before and after are shown too.
    expect(await excerpt.locator('.excerpt-line').count()).toBeGreaterThan(1);
    // The whole screen, with a step done, two current and an excerpt open.
    expect(await screenProblems(rita, 'instance-desktop')).toEqual([]);
  }, 60_000);

  test('when the request is opened on a phone, then it fits the width and passes axe', async () => {
    const phone = await h.signIn(RITA, ['requester'], PHONE);
    await open(phone);
    await phone.getByRole('img', { name: /^Diagram of purchase:/ }).waitFor(LIVE_WAIT);
    await stepInState(phone, 'security_review', 'current');
    expect(await screenProblems(phone, 'instance-phone')).toEqual([]);
  }, 60_000);

  test('when the requester cancels with a reason, then the status becomes cancelled', async () => {
    const opener = rita.getByRole('button', { name: 'Cancel this request' });
    const dialog = rita.getByRole('dialog', { name: 'Cancel this request?' });
    // Escape closes the dialog and gives focus back to the button that opened it.
    await opener.click();
    await dialog.waitFor();
    await rita.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await rita.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe(
      'Cancel this request',
    );

    await opener.click();
    await dialog.waitFor();
    // No reason: the API's problem is shown next to the field, and nothing is cancelled.
    await dialog.getByRole('button', { name: 'Cancel the request' }).click();
    await dialog.locator('.field-problem').waitFor(LIVE_WAIT);
    expect(await dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Reason').fill('bought a desk second-hand instead');
    await dialog.getByRole('button', { name: 'Cancel the request' }).click();
    await rita.getByRole('status').filter({ hasText: 'You cancelled this request' }).waitFor(LIVE_WAIT);
    await rita.locator('h1 .badge-cancelled').waitFor(LIVE_WAIT);
    await stepInState(rita, 'security_review', 'failed');
    await rita.locator('.timeline', { hasText: 'bought a desk second-hand instead' }).waitFor(LIVE_WAIT);
    expect(await rita.getByRole('button', { name: 'Cancel this request' }).count()).toBe(0);
    await screenshot(rita, 'instance-cancelled-desktop');
    // The button is gone with the running status: focus is on the news, not lost on the body.
    expect(await rita.evaluate<string>('document.activeElement?.textContent ?? ""')).toContain(
      'You cancelled this request',
    );
  }, 90_000);

  test('when a stranger opens the request, then they are told kindly that there is nothing for them', async () => {
    const stranger = await h.signIn(STRANGER, ['requester', 'approver'], DESKTOP);
    await open(stranger);
    await stranger.getByRole('heading', { level: 1, name: 'Request not found' }).waitFor(LIVE_WAIT);
    expect(await stranger.getByText(/not yours to see/).count()).toBe(1);
    expect(await stranger.getByRole('img', { name: /^Diagram/ }).count()).toBe(0);
  }, 60_000);
});

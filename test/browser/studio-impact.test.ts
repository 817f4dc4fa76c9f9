// The impact of a change in the studio's publish confirmation, in Chromium, over requests that ran
// on the real runtime (the Temporal dev server, a Charter worker, SecantusDB): under version 1 the
// director approves purchases above 10,000; four purchases (1,000, 6,000, 9,000 and 12,000) are
// started and approved through the API, the 12,000 one by the director too. The draft of version 2
// raises the approval needed: the director now signs above 5,000. The confirmation must list
// exactly the 6,000 and 9,000 purchases as waiting for the director (the 12,000 one had her
// approval already, the 1,000 one never needs it), let the author replay fewer requests without
// publishing, refuse a count out of range next to its field, and stay clean under axe.
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';
import { until } from '../support/until.js';

const NAME = 'studio-threshold';
const RITA = 'rita.requester@halden.example';
const MARK = 'mark.manager@halden.example';
const DORA = 'dora.director@halden.example';
const PETRA = 'petra.holm@halden.example';

const policy = (
  version: number,
  threshold: number,
) => `policy "${NAME}" version ${version} effective 2026-01-01
owner "pmo@halden.example"
role directors = group "threshold-directors"

process purchase {
  input {
    requester: person
    amount: number
  }
  approve manager_review {
    by manager of request.requester
  }
  if request.amount > ${threshold} {
    approve director_review {
      by directors
    }
  }
}
`;

describe('the impact of a change, in the publish confirmation', () => {
  let h: ConsoleHarness;
  /** Instance ids by amount. */
  const byAmount = new Map<number, string>();

  /** Approves every task of the instance as the people who hold them until it is approved. */
  async function approveThrough(instanceId: string): Promise<void> {
    const tokens = {
      [MARK]: await h.api.tokenFor(MARK, ['approver']),
      [DORA]: await h.api.tokenFor(DORA, ['approver']),
    };
    const reader = await h.api.tokenFor(PETRA, ['pmo']);
    const status = async () =>
      (
        await h.api.call<{ status: string }>('GET', `/v1/instances/${encodeURIComponent(instanceId)}`, {
          token: reader,
        })
      ).body.status;
    await until(
      `instance ${instanceId} approved`,
      async () => {
        for (const token of Object.values(tokens)) {
          const inbox = await h.api.call<{ items: { id: string; instanceId: string }[] }>(
            'GET',
            '/v1/tasks/inbox?limit=500',
            { token },
          );
          for (const task of inbox.body.items.filter((t) => t.instanceId === instanceId)) {
            const decided = await h.api.call('POST', `/v1/tasks/${encodeURIComponent(task.id)}/decide`, {
              token,
              body: { decision: 'approve' },
            });
            expect([200, 409]).toContain(decided.status);
          }
        }
        return status();
      },
      (now) => now === 'approved',
      60_000,
    );
  }

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url);
    await h.api.store.directory.seedFromWorld({
      groups: { 'threshold-directors': [DORA] },
      managers: { [RITA]: MARK },
      people: [PETRA],
    });
    await h.api.publish(policy(1, 10_000), 'threshold.charter');
    const requester = await h.api.tokenFor(RITA, ['requester']);
    for (const amount of [1_000, 6_000, 9_000, 12_000]) {
      const started = await h.api.call<{ instanceId: string }>('POST', '/v1/instances', {
        token: requester,
        body: { policy: NAME, process: 'purchase', input: { requester: RITA, amount } },
      });
      expect(started.status).toBe(201);
      byAmount.set(amount, started.body.instanceId);
      await approveThrough(started.body.instanceId);
    }
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  /** The ids the confirmation lists under the filter button whose name starts with `filter`. */
  async function listed(page: Page, filter: string): Promise<string[]> {
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: new RegExp(`^${filter} \\(`) }).click();
    return dialog.locator('.studio-impact-instance code').allTextContents();
  }

  test('when the director must sign above 5,000 instead of 10,000, then exactly the 6,000 and 9,000 purchases would wait for her', async () => {
    const page = await h.signIn(PETRA, ['pmo', 'author'], DESKTOP);
    await page.goto(`/studio?policy=${NAME}&version=1`);
    await page.waitForFunction(() =>
      document.querySelector('.studio-editor')?.textContent?.includes('version 2'),
    );
    // The draft raises the approval needed; typed into the editor's text as an author would save it.
    const draft = {
      entry: 'threshold.charter',
      files: { 'threshold.charter': policy(2, 5_000) },
      active: 'threshold.charter',
      origin: { policy: NAME, version: 1 },
    };
    await page.evaluate(
      (text) => sessionStorage.setItem('charter.studio.draft', text),
      JSON.stringify(draft),
    );
    await page.reload();
    await page.waitForFunction(() =>
      document.querySelector('.studio-editor')?.textContent?.includes('> 5000'),
    );
    await page.locator('.studio-problem-count').getByText('No problems').waitFor();

    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: `Publish ${NAME} version 2?` });
    const impact = dialog.locator('.studio-impact');
    await impact.waitFor({ timeout: 60_000 });
    expect(await impact.locator('p').first().textContent()).toContain(
      'Replayed the last 4 finished requests of version 1',
    );

    const waiting = await listed(page, 'Would still wait');
    expect(waiting.sort()).toEqual([byAmount.get(6_000), byAmount.get(9_000)].sort());
    for (const line of await dialog.locator('.studio-impact-instance').all()) {
      expect(await line.locator('.studio-impact-wait').textContent()).toBe(
        `would wait for ${DORA} at director_review`,
      );
    }
    expect((await listed(page, 'Same outcome')).sort()).toEqual(
      [byAmount.get(1_000), byAmount.get(12_000)].sort(),
    );
    expect(await listed(page, 'Would differ')).toEqual([]);
    await dialog.getByText('No request would differ.').waitFor();
    expect(await listed(page, 'All')).toHaveLength(4);
    const link = dialog.locator('.studio-impact-instance a').first();
    expect(await link.getAttribute('href')).toMatch(/^\/instances\//);
    expect(await screenProblems(page, 'studio-impact-desktop')).toEqual([]);

    // Fewer requests, with Enter in the field: the newest two (12,000 then 9,000); nothing published.
    const count = dialog.getByLabel('Finished requests to replay');
    await count.fill('2');
    await count.press('Enter');
    await impact.getByText('Replayed the last 2 finished requests of version 1').waitFor({ timeout: 60_000 });
    expect(await listed(page, 'Would still wait')).toEqual([byAmount.get(9_000)]);
    expect(await listed(page, 'Same outcome')).toEqual([byAmount.get(12_000)]);
    expect(await dialog.isVisible()).toBe(true);
    const versions = await h.api.call<{ items: { name: string }[] }>('GET', '/v1/policies?limit=500', {
      token: await h.api.tokenFor(PETRA, ['pmo']),
    });
    expect(versions.body.items.filter((v) => v.name === NAME)).toHaveLength(1);

    // A count out of range is refused next to the field; the last answer stays.
    await count.fill('2001');
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    const problem = dialog.locator('.studio-impact-last .field-problem');
    expect(await problem.textContent()).toBe('Enter a whole number from 1 to 2,000.');
    expect(await count.getAttribute('aria-invalid')).toBe('true');
    expect(await impact.textContent()).toContain('Replayed the last 2 finished requests');

    await page.setViewportSize(PHONE);
    expect(await screenProblems(page, 'studio-impact-phone')).toEqual([]);
  }, 180_000);
});

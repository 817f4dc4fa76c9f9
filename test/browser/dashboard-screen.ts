// What the dashboards' browser tests share: reading a card's data table as the screen shows it,
// and the people-and-ledger set-up every dashboard figure is computed from (the hand-counted
// ledger's people in the directory, the ledger grown into the tree and folded by the projector as
// the signer's runs do, and a capacity plan with one person fully allocated and one under-used).
import type { Page } from 'playwright-core';
import { isoWeekOf, type Store } from '../../store/index.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { CAROL, DAVE, DAY, ERIN, FRANK } from '../integration/fixtures/dashboard-ledger.js';
import type { ApiHarness } from '../support/api.js';

/** Milliseconds as the tables show hours: two decimals, no trailing zeros. */
export const hours = (ms: number): string => String(Math.round(ms / 36_000) / 100);

/** The card titled `title`. */
export const cardOf = (page: Page, title: string) =>
  page.locator('section.dash-card', { has: page.getByRole('heading', { name: title, exact: true }) });

/** The cells of the table under the card titled `title` (the "List" column left out). */
export async function tableOf(page: Page, title: string): Promise<string[][]> {
  const card = cardOf(page, title);
  await card.locator('table').waitFor({ state: 'attached' });
  return card
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('td')]
          .filter((td) => td.querySelector('a') === null)
          .map((td) => (td.textContent ?? '').trim()),
      ),
    );
}

/** The fixture's people (and `more`) in the directory, so the screens can name them. */
export async function seedPeople(store: Store, ...more: string[]): Promise<void> {
  await store.directory.seedFromWorld({
    groups: {},
    managers: {},
    people: [CAROL, DAVE, ERIN, FRANK, ...more],
  });
}

/** The ledger as it stands made leaves and folded into the rollups, as a signer run does. */
export async function signAndFold(store: Store): Promise<void> {
  await growAndSign(store, null, () => new Date());
  await store.dashboards.foldAll(() => new Date());
}

/**
 * Four weeks from `now`: Carol fully allocated (40 of 40 hours a week) and Dave under-used (10 of
 * 40), through the API with a PMO token. The API refuses allocating beyond capacity (409), so
 * over 100 % cannot be seeded through it.
 */
export async function seedCapacityPlan(api: ApiHarness, token: string, now: Date): Promise<void> {
  const from = isoWeekOf(now);
  const to = isoWeekOf(new Date(now.getTime() + 3 * 7 * DAY));
  for (const [person, total] of [
    [CAROL, 160],
    [DAVE, 40],
  ] as const) {
    const capacity = await api.call('PUT', `/v1/resources/people/${person}/capacity`, {
      token,
      body: { from, to, hours: 40 },
    });
    if (capacity.status !== 200) throw new Error(`capacity of ${person}: ${capacity.status}`);
    const allocation = await api.call('POST', `/v1/resources/people/${person}/allocations`, {
      token,
      body: { project: 'erp', hours: total, from, to },
    });
    if (![200, 201].includes(allocation.status))
      throw new Error(`allocation of ${person}: ${allocation.status}`);
  }
}

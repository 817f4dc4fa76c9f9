// Signing in through the sign-in screen, timed from the click on "Sign in" (the form's submit, in
// the page's clock) to a condition on the inbox; and the sign-in measurement itself: to the first
// task row visible and focusable, over fresh contexts (nothing cached, no cookie: a person opening
// the console on their own machine, with the console's scripts already loaded by the sign-in
// screen), each followed by its baseline in the same page: a bare fetch of the inbox's first page
// with the session just made (cache: no-store, so a full answer, not a 304).
import type { BrowserContext, Page } from 'playwright-core';
import { arm, type Condition, markOf, probedContext } from './probes.js';

/** The inbox's lead line for `count` tasks ("1000 tasks wait for you"). */
export const waitingLead = (count: number): string =>
  `${count} ${count === 1 ? 'task waits' : 'tasks wait'} for you`;

export type NewContext = () => Promise<BrowserContext>;

export interface SignedIn {
  /** The page's time of the click on "Sign in". */
  start: number;
  /** The page's time the condition first held. */
  end: number;
}

/** Opens the sign-in screen, signs in with `token` and waits until `condition(arg)` holds. */
export async function signInTimed(
  page: Page,
  token: string,
  condition: Condition,
  arg: string | null,
  what: string,
): Promise<SignedIn> {
  await page.goto('/', { timeout: 30_000 });
  await page.getByLabel('API token').fill(token, { timeout: 30_000 });
  await arm(page, 'signedIn', condition, arg);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click({ timeout: 10_000 });
  const start = await markOf(page, 'signIn', 'the sign-in form was not submitted', 10_000);
  const end = await markOf(page, 'signedIn', what);
  return { start, end };
}

const BARE_INBOX_FETCH = `(async () => {
  const began = performance.now();
  const answer = await fetch('/v1/tasks/inbox?limit=500', { cache: 'no-store', credentials: 'same-origin' });
  if (!answer.ok) throw new Error('GET /v1/tasks/inbox answered ' + answer.status);
  await answer.json();
  return performance.now() - began;
})()`;

/** Closes `context` whatever happens in `use`. */
export async function inContext<T>(
  newContext: NewContext,
  use: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const { context, page } = await probedContext(newContext);
  try {
    return await use(page, context);
  } finally {
    await context.close().catch(() => undefined);
  }
}

export interface SignInSamples {
  interactiveMs: number[];
  bareFetchMs: number[];
}

/** `count` sign-ins of the person with `token`, whose inbox has at least one task. */
export async function measureSignIns(
  newContext: NewContext,
  token: string,
  count: number,
  progress: (line: string) => void,
): Promise<SignInSamples> {
  const samples: SignInSamples = { interactiveMs: [], bareFetchMs: [] };
  for (let i = 0; i < count; i += 1) {
    await inContext(newContext, async (page) => {
      const { start, end } = await signInTimed(
        page,
        token,
        'firstRowInteractive',
        null,
        `sign-in ${i + 1}: the first task row visible and focusable`,
      );
      samples.interactiveMs.push(end - start);
      // Let the screen's own follow-up requests (policy facts) finish before the baseline.
      await page.waitForTimeout(300);
      samples.bareFetchMs.push(await page.evaluate<number>(BARE_INBOX_FETCH));
    });
    progress(
      `sign-in ${i + 1}/${count}: interactive inbox ${samples.interactiveMs.at(-1)?.toFixed(0)} ms, ` +
        `bare inbox fetch ${samples.bareFetchMs.at(-1)?.toFixed(1)} ms`,
    );
  }
  return samples;
}

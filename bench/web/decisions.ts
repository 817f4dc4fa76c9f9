// Deciding real tasks (instances on the worker, decided through a Temporal Update).
//
// Approve to row leaving: in the approver's open inbox, the first row is selected (its link takes
// the focus, as j does), `a` opens the confirmation and Enter confirms; timed in the page from the
// Enter to the row's removal from the page. The console removes the row once the API has accepted
// the decision, so the baseline is that request alone: the same POST /v1/tasks/{id}/decide sent
// over HTTP by this process for another approver's task, interleaved one for one. Each decision
// starts once the previous one's workflow has ended, so none waits for another's work.
//
// Live delay: a second person's console has their inbox open; this process decides the tasks
// over the API one by one, each after a random pause of up to one polling interval (so decisions
// land at every phase of the console's poll), and times from the API's answer to the row leaving
// the open page, without a reload. The baseline is the polling interval itself: with decisions at
// random phases of the poll, a console adding nothing would show p50 near half the interval and
// p99 near the whole; the rest is the read and the render.
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { ApiHarness } from '../../test/support/api.js';
import { arm, markOf, pageEpoch } from './probes.js';
import { inContext, type NewContext, signInTimed, waitingLead } from './sign-in.js';
import { decideOverHttp, instanceEnded, type TaskRef } from './world.js';

export interface ApprovalSamples {
  uiMs: number[];
  httpMs: number[];
}

const rowOf = (page: Page, id: string) => page.locator(`.inbox-row-slot[data-task-id="${id}"]`);

async function approveFirstRow(page: Page, index: number): Promise<{ id: string; ms: number }> {
  const first = page.locator('.inbox-row-slot').first();
  await first.waitFor({ timeout: 30_000 });
  const id = await first.getAttribute('data-task-id');
  if (id === null) throw new Error('an inbox row without data-task-id');
  await first.locator('.inbox-row-title').focus({ timeout: 10_000 });
  await page.keyboard.press('a');
  await page.getByRole('dialog', { name: 'Approve?' }).waitFor({ timeout: 10_000 });
  await page.evaluate('delete window.__bench.marks.confirm');
  await arm(page, 'gone', 'rowGone', id);
  await page.keyboard.press('Enter');
  const start = await markOf(page, 'confirm', `approval ${index}: Enter did not reach the dialog`, 10_000);
  const end = await markOf(
    page,
    'gone',
    `approval ${index}: the row of ${id} did not leave the inbox`,
    30_000,
  );
  return { id, ms: end - start };
}

/** Approves every task of `uiToken`'s inbox in the console, each followed by one of `httpTasks` over HTTP. */
export async function measureApprovals(
  newContext: NewContext,
  api: ApiHarness,
  ui: { token: string; tasks: TaskRef[] },
  http: { token: string; tasks: TaskRef[] },
  progress: (line: string) => void,
): Promise<ApprovalSamples> {
  const samples: ApprovalSamples = { uiMs: [], httpMs: [] };
  await inContext(newContext, async (page) => {
    const lead = waitingLead(ui.tasks.length);
    await signInTimed(page, ui.token, 'lead', lead, `"${lead}" in the approver's inbox`);
    for (let i = 0; i < ui.tasks.length; i += 1) {
      const approved = await approveFirstRow(page, i + 1);
      samples.uiMs.push(approved.ms);
      const instanceId = ui.tasks.find((t) => t.id === approved.id)?.instanceId;
      if (instanceId === undefined)
        throw new Error(`approved ${approved.id}, not one of the approver's tasks`);
      await instanceEnded(api, instanceId);
      const task = http.tasks[i];
      if (task !== undefined) {
        const began = performance.now();
        await decideOverHttp(api, http.token, task);
        samples.httpMs.push(performance.now() - began);
        await instanceEnded(api, task.instanceId);
      }
      progress(
        `approval ${i + 1}/${ui.tasks.length}: console ${samples.uiMs.at(-1)?.toFixed(0)} ms, ` +
          `HTTP decide ${samples.httpMs.at(-1)?.toFixed(0) ?? '-'} ms`,
      );
    }
  });
  return samples;
}

export interface LiveSamples {
  delayMs: number[];
  decideMs: number[];
}

/** Decides each of `tasks` (in `watcher`'s inbox, in its order) over the API; times its row leaving. */
export async function measureLive(
  newContext: NewContext,
  api: ApiHarness,
  watcher: { token: string; tasks: TaskRef[] },
  intervalMs: number,
  progress: (line: string) => void,
): Promise<LiveSamples> {
  const samples: LiveSamples = { delayMs: [], decideMs: [] };
  await inContext(newContext, async (page) => {
    const lead = waitingLead(watcher.tasks.length);
    await signInTimed(page, watcher.token, 'lead', lead, `"${lead}" in the watching inbox`);
    for (const [i, task] of watcher.tasks.entries()) {
      await page.waitForTimeout(Math.random() * intervalMs);
      await rowOf(page, task.id).waitFor({ state: 'attached', timeout: 30_000 });
      await arm(page, 'gone', 'rowGone', task.id);
      const sent = performance.now();
      await decideOverHttp(api, watcher.token, task);
      const answered = performance.now();
      const end = await markOf(
        page,
        'gone',
        `live ${i + 1}: the row of ${task.id}, decided elsewhere, did not leave the open inbox`,
        30_000,
      );
      samples.delayMs.push((await pageEpoch(page, end)) - (performance.timeOrigin + answered));
      samples.decideMs.push(answered - sent);
      await instanceEnded(api, task.instanceId);
      progress(
        `live ${i + 1}/${watcher.tasks.length}: row left ${samples.delayMs.at(-1)?.toFixed(0)} ms after ` +
          `the decision was answered (decide ${samples.decideMs.at(-1)?.toFixed(0)} ms)`,
      );
    }
  });
  return samples;
}

// One round of the inbox list at a size: a fresh context signs in as a person with `size` seeded
// tasks; timed from the click on "Sign in" to "<size> tasks wait for you" visible (every page of
// the cursor read, filtered, sorted and the first rows rendered), with the long tasks of that
// period and the moment the last API answer of it arrived (Resource Timing: the rest is the page's); then the list (.inbox-scroller) is paged through top to bottom, one screenful per step,
// with the long tasks of the scrolling. A long task is a main-thread task over 50 ms; one over
// 200 ms is input that visibly waits (the RAIL model's "response within 100 ms" twice over).
import { lastApiAnswer, longTasksIn, longTasksObserved, type LongTask, scrollThrough } from './probes.js';
import { inContext, type NewContext, signInTimed, waitingLead } from './sign-in.js';

/** A long task over this is counted apart: a click or key waits visibly. */
export const VISIBLE_WAIT_MS = 200;

export interface LongTaskSummary {
  /** The longest long task (0 when there was none: no task over 50 ms). */
  longestMs: number;
  count: number;
  over200: number;
}

export interface ListRound {
  size: number;
  visibleMs: number;
  /** Of visibleMs: from the click until the last API answer had arrived (sign-in, both inbox pages). */
  apiMs: number;
  load: LongTaskSummary;
  scroll: LongTaskSummary;
  scrollMs: number;
  scrollSteps: number;
}

const summarize = (tasks: LongTask[]): LongTaskSummary => ({
  longestMs: tasks.reduce((max, t) => Math.max(max, t.duration), 0),
  count: tasks.length,
  over200: tasks.filter((t) => t.duration > VISIBLE_WAIT_MS).length,
});

export async function measureList(newContext: NewContext, token: string, size: number): Promise<ListRound> {
  return inContext(newContext, async (page) => {
    const lead = waitingLead(size);
    const { start, end } = await signInTimed(page, token, 'lead', lead, `"${lead}" visible after sign-in`);
    await longTasksObserved(page);
    const answered = await lastApiAnswer(page, start, end);
    if (answered === null) throw new Error(`no API answer between the sign-in click and "${lead}"`);
    const load = summarize(await longTasksIn(page, start, end));
    const scrolled = await scrollThrough(page, size);
    if (!scrolled.lastShown)
      throw new Error(`scrolling the list of ${size} to the bottom did not show task ${size}`);
    const scroll = summarize(await longTasksIn(page, scrolled.from, scrolled.to));
    return {
      size,
      visibleMs: end - start,
      apiMs: answered - start,
      load,
      scroll,
      scrollMs: scrolled.to - scrolled.from,
      scrollSteps: scrolled.steps,
    };
  });
}

export const formatListRound = (round: number, r: ListRound): string =>
  `round ${round} list of ${String(r.size).padStart(4)}: visible ${r.visibleMs.toFixed(0).padStart(5)} ms ` +
  `(API answered at ${r.apiMs.toFixed(0)} ms), ` +
  `load long tasks ${r.load.count} (longest ${r.load.longestMs.toFixed(0)} ms, ${r.load.over200} over ` +
  `${VISIBLE_WAIT_MS} ms); scroll ${r.scrollSteps} ${r.scrollSteps === 1 ? 'step' : 'steps'} in ${r.scrollMs.toFixed(0)} ms, long tasks ` +
  `${r.scroll.count} (longest ${r.scroll.longestMs.toFixed(0)} ms, ${r.scroll.over200} over ${VISIBLE_WAIT_MS} ms)`;

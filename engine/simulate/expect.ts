// Expectations of a policy test against a simulation, each unmet one as a sentence that shows
// what was expected next to what there is, so a failing test reads like a review comment.
import type { Expectation } from './script.js';
import type { Simulation } from './simulation.js';

export function unmet(sim: Simulation, expect: Expectation): string[] {
  const problems: string[] = [];
  const state = sim.state;
  if (expect.status !== undefined && state.status !== expect.status) {
    problems.push(
      `status is ${state.status}${state.message ? ` (${state.message})` : ''}, expected ${expect.status}`,
    );
  }
  if (expect.message !== undefined && !(state.message ?? '').includes(expect.message)) {
    problems.push(
      `message is ${JSON.stringify(state.message)}, expected it to contain ${JSON.stringify(expect.message)}`,
    );
  }
  if (expect.tasks !== undefined) problems.push(...tasksUnmet(sim, expect.tasks));
  if (expect.blockedOn !== undefined) problems.push(...blockedUnmet(sim, expect.blockedOn));
  if (expect.decisions !== undefined) {
    const texts = state.decisions.map((d) => d.text);
    const missing = inOrder(texts, expect.decisions, (text, wanted) => text.includes(wanted));
    if (missing !== null) {
      problems.push(
        `no decision containing ${JSON.stringify(missing)} (in order); decisions:\n${bullets(texts)}`,
      );
    }
  }
  for (const forbidden of expect.noDecisions ?? []) {
    const hit = state.decisions.find((d) => d.text.includes(forbidden));
    if (hit) problems.push(`decision ${JSON.stringify(hit.text)} contains ${JSON.stringify(forbidden)}`);
  }
  if (expect.notified !== undefined) {
    const sent = sim.notifications;
    const missing = inOrder(
      sent,
      expect.notified,
      (n, wanted) => n.message.includes(wanted.text) && wanted.to.every((p) => n.recipients.includes(p)),
    );
    if (missing !== null) {
      const lines = sent.map((n) => `${n.recipients.join(', ')}: ${n.message}`);
      problems.push(
        `no notification to [${missing.to.join(', ')}] containing ${JSON.stringify(missing.text)} (in order); sent:\n${bullets(lines)}`,
      );
    }
  }
  for (const [step, fields] of Object.entries(expect.results ?? {})) {
    const result = state.results[step];
    for (const [field, wanted] of Object.entries(fields)) {
      const actual = result?.[field];
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        problems.push(
          `${step}.${field} is ${JSON.stringify(actual) ?? 'unset'}, expected ${JSON.stringify(wanted)}`,
        );
      }
    }
  }
  if (expect.checksRunning !== undefined) {
    const running = sim
      .runningChecks()
      .map((c) => c.step)
      .sort();
    const wanted = [...expect.checksRunning].sort();
    if (JSON.stringify(running) !== JSON.stringify(wanted)) {
      problems.push(`checks running: [${running.join(', ')}], expected [${wanted.join(', ')}]`);
    }
  }
  return problems;
}

function tasksUnmet(sim: Simulation, wanted: { step: string; assignees: string[] }[]): string[] {
  const show = (tasks: { step: string; assignees: string[] }[]) =>
    tasks
      .map((t) => `${t.step} (${[...t.assignees].sort().join(', ')})`)
      .sort()
      .join('; ') || 'none';
  const actual = show(sim.openTasks());
  const expected = show(wanted);
  return actual === expected ? [] : [`open tasks are ${actual}, expected ${expected}`];
}

function blockedUnmet(sim: Simulation, wanted: string[]): string[] {
  const texts = sim.blockedOn().map((b) => b.text);
  const ok = texts.length === wanted.length && wanted.every((w, i) => (texts[i] ?? '').includes(w));
  return ok ? [] : [`blocked on:\n${bullets(texts)}\nexpected, in order:\n${bullets(wanted)}`];
}

/** The first wanted item not found after the previous one's match, or null when all are. */
function inOrder<T, W>(
  items: readonly T[],
  wanted: readonly W[],
  matches: (item: T, w: W) => boolean,
): W | null {
  let from = 0;
  for (const w of wanted) {
    let found = -1;
    for (let i = from; i < items.length; i += 1) {
      if (matches(items[i] as T, w)) {
        found = i;
        break;
      }
    }
    if (found === -1) return w;
    from = found + 1;
  }
  return null;
}

const bullets = (lines: readonly string[]): string =>
  lines.length === 0 ? '  (none)' : lines.map((l) => `  - ${l}`).join('\n');

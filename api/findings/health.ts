// A project's health as its live findings give it: the worst `health` a monitor declared among
// them (red over amber; findings of monitors without `health` leave it alone), with a reason
// people can act on: "2 open findings of monitor risk_review_current since 2026-12-07". Shown
// beside the health the PMO keeps by hand, never written over it: the two can disagree, and the
// console shows both.
import { z } from 'zod';
import { type Finding, FINDING_HEALTH, type FindingHealth, type Store } from '../../store/index.js';

export const findingsHealthView = z
  .object({ status: z.enum(FINDING_HEALTH), reason: z.string() })
  .nullable()
  .describe("the worst health the project's live findings give it; null when none gives one");

export type FindingsHealth = { status: FindingHealth; reason: string } | null;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The health `live` (one project's live findings) give it. */
export function healthOfFindings(live: readonly Finding[]): FindingsHealth {
  const status: FindingHealth | null = live.some((f) => f.health === 'red')
    ? 'red'
    : live.some((f) => f.health === 'amber')
      ? 'amber'
      : null;
  if (status === null) return null;
  const worst = live.filter((f) => f.health === status);
  const monitors = [...new Set(worst.map((f) => f.monitor))].sort();
  const since = worst
    .map((f) => f.openedAt.toISOString().slice(0, 10))
    .sort()
    .at(0);
  const reason =
    `${plural(worst.length, 'open finding')} of ${monitors.length === 1 ? 'monitor' : 'monitors'} ` +
    `${monitors.join(', ')} since ${since ?? ''}`;
  return { status, reason };
}

/** The findings' health of each of `codes` (one read of their live findings). */
export async function findingsHealthOf(
  store: Store,
  codes: readonly string[],
): Promise<Map<string, FindingsHealth>> {
  const live = await store.findings.liveByProject(codes);
  const byProject = new Map<string, Finding[]>();
  for (const f of live) byProject.set(f.project, [...(byProject.get(f.project) ?? []), f]);
  return new Map(codes.map((code) => [code, healthOfFindings(byProject.get(code) ?? [])]));
}

// The impact route's floor, measured beside it: the store reads it makes for the newest `last`
// finished instances, the same calls with the same pages (api/policies/impact.ts finishedViews and
// factsOf: views of the policy newest first in pages of 500, then the instances' chains read by
// name, 100 chains a read), without compiling, replaying or answering. What the
// route spends beyond this is its own work (compile, replay twice, compare, JSON).
import { performance } from 'node:perf_hooks';
import type { Store } from '../../store/index.js';

const PAGE = 500;
const CHAINS_PER_READ = 100;

export interface Reads {
  ms: number;
  /** Of which the views' pages. */
  viewsMs: number;
  views: number;
  events: number;
}

export async function readsOf(store: Store, policy: string, version: number, last: number): Promise<Reads> {
  const began = performance.now();
  const chains: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.views.list(
      { policyName: policy },
      { limit: PAGE, ...(after === undefined ? {} : { after }) },
    );
    for (const view of page.instances) {
      if (view.policy.version === version && view.status !== 'running' && chains.length < last)
        chains.push(view.instanceId);
    }
    after = page.next ?? undefined;
  } while (after !== undefined && chains.length < last);
  const viewsMs = performance.now() - began;
  let events = 0;
  for (let i = 0; i < chains.length; i += CHAINS_PER_READ)
    events += (await store.audit.eventsOfChains(chains.slice(i, i + CHAINS_PER_READ))).length;
  return { ms: performance.now() - began, viewsMs, views: chains.length, events };
}

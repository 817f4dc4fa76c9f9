// The activities a worker registers, bound to the store and configuration it was started with.
import { isoWeeksFrom, type Store } from '../../store/index.js';
import { type CheckServices, runCheck } from './checks.js';
import type { CharterActivities } from './contract.js';
import { applyEffects } from './effects.js';
import { screenQualified } from './qualifications.js';

export interface ActivityDeps {
  store: Store;
  checkServices: CheckServices;
  /** Whether transitions write the webhooks' outbox (effects.ts). */
  outbox: boolean;
}

export function createActivities({ store, checkServices, outbox }: ActivityDeps): CharterActivities {
  const settings = { outbox };
  const activities: CharterActivities = {
    async applyTransition(input) {
      await applyEffects(store, input, settings);
      const at = input.at;
      // Every request of the transition on one set of directory reads.
      const resolutions =
        input.resolve.length === 0
          ? []
          : await store.directory.resolveMany(
              input.resolve.map((r) => r.refs),
              new Date(at),
            );
      // The deciders of a step that requires qualifications: only those holding them, that day.
      const screened = await screenQualified(
        store,
        input.resolve.map((r, i) => ({
          qualifications: r.qualifications,
          people: resolutions[i]?.people ?? [],
        })),
        at,
      );
      const resolved = input.resolve.map((r, i) => {
        const problems = resolutions[i]?.problems ?? [];
        return { request: r.request, ...(screened[i] ?? { people: [] }), problems };
      });
      const reallocated = [];
      for (const r of input.reallocate) {
        reallocated.push({
          request: r.request,
          ...(await activities.reallocate({ ...r, instance: input.instance, at })),
        });
      }
      return { resolved, reallocated };
    },
    applyEffects: (input) => applyEffects(store, input, settings),
    async resolvePeople(input) {
      const { people, problems } = await store.directory.resolve(input.refs, new Date(input.at));
      return { people, problems };
    },
    runCheck: (input) => runCheck(checkServices, input),
    async reallocate(input) {
      const result = await store.capacity.reallocate({
        request: `${input.instance.instanceId}/${input.request}`,
        pool: input.pool,
        skill: input.skill,
        project: input.project,
        hours: input.hours,
        weeks: isoWeeksFrom(new Date(input.at), input.periodMs),
        priority: input.priority,
        at: new Date(input.at),
      });
      return { outcome: result.outcome, detail: result.detail };
    },
  };
  return activities;
}

export type { CharterActivities } from './contract.js';
export type { CheckServices } from './checks.js';

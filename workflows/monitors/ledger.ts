// Where monitor facts go on the audit ledger: a chain per monitor for its runs
// (`monitor:<policy>/<monitor>`) and one per finding for its life (`finding:<id>`), each event
// named by a key (store/keyed-ledger.ts) so that retries and concurrent workers write it once.
// The sentence is rendered from the fact here, as for instance events; nothing reads it back.
import { type Fact, sentenceOf } from '../../engine/facts/index.js';
import type { Store } from '../../store/index.js';
import type { KeyedEvent } from '../../store/keyed-ledger.js';

export const monitorChain = (policy: string, monitor: string): string => `monitor:${policy}/${monitor}`;
export const findingChain = (findingId: string): string => `finding:${findingId}`;

/** The fields every event of a finding carries: its chain, its policy version, its project. */
export interface FindingRef {
  id: string;
  policy: { name: string; version: number; sha256: string };
  monitor: string;
  project: string;
}

export interface FactEvent {
  chain: string;
  key: string;
  at: Date;
  /** The run or finding the event is about (the ledger's `instanceId`). */
  subject: string;
  process: string;
  project: string | null;
  policy: { name: string; version: number; sha256: string };
  actor: string | null;
  fact: Fact;
}

/** Appends the fact once under its key; answers whether this call wrote it. */
export function appendFact(store: Store, e: FactEvent): Promise<boolean> {
  return store.keyedLedger.appendOnce(keyedEvent(e));
}

function keyedEvent(e: FactEvent): KeyedEvent {
  return {
    chain: e.chain,
    key: e.key,
    at: e.at,
    type: e.fact.kind,
    instanceId: e.subject,
    process: e.process,
    project: e.project,
    policy: e.policy,
    step: null,
    text: sentenceOf(e.fact),
    actor: e.actor,
    onBehalfOf: null,
    outcome: null,
    reasons: [],
    span: null,
    fact: e.fact,
  };
}

/** One fact of one finding, for findingFacts. */
export interface FindingFactEvent {
  finding: FindingRef;
  key: string;
  at: Date;
  fact: Fact;
}

/** Facts of many findings (a run's page), each once under its key, in a few round trips in all. */
export async function findingFacts(store: Store, events: readonly FindingFactEvent[]): Promise<void> {
  await store.keyedLedger.appendOnceMany(
    events.map((e) => keyedEvent(findingEvent(e.finding, e.key, e.at, e.fact, null))),
  );
}

const findingEvent = (
  finding: FindingRef,
  key: string,
  at: Date,
  fact: Fact,
  actor: string | null,
): FactEvent => ({
  chain: findingChain(finding.id),
  key,
  at,
  subject: finding.id,
  process: finding.monitor,
  project: finding.project,
  policy: finding.policy,
  actor,
  fact,
});

/** A fact about a finding, on its chain. */
export function findingFact(
  store: Store,
  finding: FindingRef,
  key: string,
  at: Date,
  fact: Fact,
  actor: string | null = null,
): Promise<boolean> {
  return appendFact(store, findingEvent(finding, key, at, fact, actor));
}

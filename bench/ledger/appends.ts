// Part 1 of the ledger benchmark: ledger appends per second with the Merkle tree's signer running
// against the same appends without it. Appends go through `store.audit.append` as the worker's
// transition effects send them (workflows/activities/effects.ts): one to three events per call, on
// many instance chains at once (`lanes` chains in flight, each lane starting a fresh chain when its
// instance ends). Every event is written with its `unsigned` mark in both kinds of round; "with the
// tree" adds the signer (`growAndSign`, the tree's one writer) in a loop in the same process, every
// 250 ms, taking those events into the tree and signing heads while the appends go on.
//
// Rounds alternate without, with, without, with ... on fresh chains. The timing covers the appends
// only. After each round, untimed, the signer takes whatever is still unsigned, so every "with"
// round starts from an empty backlog (the signer keeps up with new appends, not an old pile) and
// the last check can ask that every appended event is a leaf exactly once.
import type { Store } from '../../store/index.js';
import type { SigningKey } from '../../workflows/ledger/keys.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { benchEvent, fixed, median, pause, ratio, since } from './figures.js';

export type AppendKind = 'without' | 'with';

export interface AppendOptions {
  rounds: number;
  /** Events appended per round. */
  events: number;
  /** Chains in flight at once. */
  lanes: number;
  /** Events of one instance's chain before its lane starts the next. */
  chainLength: number;
  /** The signer's pause between runs ("with" rounds). */
  signerEveryMs: number;
}

export interface AppendRound {
  kind: AppendKind;
  events: number;
  calls: number;
  ms: number;
  /** "with" rounds: signer runs started during the appends, the leaves they added, heads signed. */
  signerRuns: number;
  leaves: number;
  heads: number;
}

/** Events per append call, repeated: mostly one, sometimes a decision with its follow-ups. */
const CALL_SIZES = [1, 2, 1, 3, 1, 1, 2] as const;

/** The round's appends: `lanes` chains in flight until `events` are appended; answers the calls made. */
async function appendAll(store: Store, prefix: string, options: AppendOptions): Promise<number> {
  let claimed = 0;
  let calls = 0;
  const lane = async (laneNo: number): Promise<void> => {
    let call = laneNo;
    for (let chainNo = 0; ; chainNo++) {
      const chain = `${prefix}-lane${laneNo}-instance${chainNo}`;
      for (let seq = 1; seq <= options.chainLength;) {
        const size = Math.min(
          CALL_SIZES[call++ % CALL_SIZES.length]!,
          options.chainLength - seq + 1,
          options.events - claimed,
        );
        if (size <= 0) return;
        claimed += size;
        const events = Array.from({ length: size }, (_, k) => benchEvent(chain, seq + k, new Date()));
        await store.audit.append(events);
        calls += 1;
        seq += size;
      }
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, (_, laneNo) => lane(laneNo)));
  return calls;
}

/** The signer in a loop beside the appends: a run, a pause, until stopped; what its runs did. */
function signerLoop(store: Store, key: SigningKey, everyMs: number) {
  let stopped = false;
  let cut: () => void = () => undefined;
  const tally = { runs: 0, leaves: 0, heads: 0 };
  const loop = (async () => {
    while (!stopped) {
      tally.runs += 1;
      const result = await growAndSign(store, key, () => new Date());
      tally.leaves += result.added;
      if (result.signed) tally.heads += 1;
      if (stopped) break;
      const wait = pause(everyMs);
      cut = wait.cut;
      await wait.done;
    }
  })();
  return {
    /** Stops after the run in flight (counted: it started during the appends). */
    async stop() {
      stopped = true;
      cut();
      await loop;
      return tally;
    },
  };
}

/** One round: the appends, timed, with or without the signer; then the backlog signed, untimed. */
async function runRound(
  store: Store,
  key: SigningKey,
  kind: AppendKind,
  round: number,
  options: AppendOptions,
): Promise<AppendRound> {
  const signer = kind === 'with' ? signerLoop(store, key, options.signerEveryMs) : null;
  const start = performance.now();
  const calls = await appendAll(store, `bench-r${round}-${kind}`, options);
  const ms = since(start);
  const tally = (await signer?.stop()) ?? { runs: 0, leaves: 0, heads: 0 };
  await growAndSign(store, key, () => new Date());
  return {
    kind,
    events: options.events,
    calls,
    ms,
    signerRuns: tally.runs,
    leaves: tally.leaves,
    heads: tally.heads,
  };
}

const rate = (r: AppendRound): number => (r.events / r.ms) * 1000;

export function roundLine(r: AppendRound, round: number): string {
  const signer =
    r.kind === 'with' ? `; signer: ${r.signerRuns} runs, ${fixed(r.leaves)} leaves, ${r.heads} heads` : '';
  return (
    `appends round ${round} ${r.kind.padEnd(7)} the tree: ${fixed(r.events)} events in ${fixed(r.calls)} ` +
    `calls, ${fixed(r.ms / 1000, 2)} s, ${fixed(rate(r))} events/s, ${fixed((r.calls / r.ms) * 1000)} calls/s${signer}`
  );
}

/**
 * Runs the alternating rounds; prints a line each and the summary. Fails (throws) when the signer
 * added no leaf during the "with" rounds (then nothing was measured with the tree), or when
 * afterwards the tree does not hold every appended event exactly once.
 */
export async function benchAppends(store: Store, key: SigningKey, options: AppendOptions): Promise<string[]> {
  // The tree's one-time pass over older events ends on an empty ledger: later runs take new ones only.
  await growAndSign(store, key, () => new Date());
  const rounds: AppendRound[] = [];
  for (let round = 1; round <= 2 * options.rounds; round++) {
    const kind: AppendKind = round % 2 === 1 ? 'without' : 'with';
    const result = await runRound(store, key, kind, round, options);
    rounds.push(result);
    console.log(roundLine(result, round));
  }
  const withTree = rounds.filter((r) => r.kind === 'with');
  const without = rounds.filter((r) => r.kind === 'without');
  const leaves = withTree.reduce((sum, r) => sum + r.leaves, 0);
  const heads = withTree.reduce((sum, r) => sum + r.heads, 0);
  if (leaves === 0)
    throw new Error('the signer added no leaf during the "with" rounds: the tree was not measured');
  const appended = rounds.reduce((sum, r) => sum + r.events, 0);
  const tree = await store.ledgerTree.state();
  if (tree.size !== appended)
    throw new Error(`the tree holds ${tree.size} leaves after ${appended} appended events`);
  const withRate = median(withTree.map(rate));
  const withoutRate = median(without.map(rate));
  const calls = (rs: AppendRound[]) => median(rs.map((r) => (r.calls / r.ms) * 1000));
  return [
    `appends without the tree (median of ${without.length}): ${fixed(withoutRate)} events/s, ${fixed(calls(without))} calls/s`,
    `appends with the tree    (median of ${withTree.length}): ${fixed(withRate)} events/s, ${fixed(calls(withTree))} calls/s`,
    `with / without: ${ratio(withRate, withoutRate)} (events/s); the signer made ${fixed(leaves)} leaves and ` +
      `signed ${heads} heads during the "with" rounds; the tree holds all ${fixed(appended)} appended events`,
  ];
}

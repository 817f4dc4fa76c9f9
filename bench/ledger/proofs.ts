// Part 2 of the ledger benchmark, the measuring half: latency of `GET /v1/audit/events/{id}/proof`
// over real HTTP for random events of the large tree, against two baselines measured in the same
// run on the same API process (servers.ts): the same route on a small tree in another database
// (what the proof costs besides the tree's size), and `GET /v1/audit/heads/latest` on the large
// tree (the route's own first read, alone: authentication, one find, JSON). Closed loop, a fixed
// number of requests in flight; targets rotate their order every round; percentiles are the
// median over rounds. Every answer must be 200; every tenth proof is checked afterwards (outside
// the timing) with `verifyInclusion` against the root the benchmark built, and one that fails
// stops the benchmark.
import { eventLeafHash, hashesFromHex, hashFromHex, verifyInclusion } from '../../engine/ledger/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { nodeSha256 } from '../../workflows/ledger/signer.js';
import { random } from '../random.js';
import { fixed, median, percentile, ratio } from './figures.js';
import { leafEventHash, leafEventId } from './tree.js';

/** A tree the API serves: where, with which token, and what the benchmark built. */
export interface ServedTree {
  port: number;
  token: string;
  size: number;
  root: string;
  head: SignedHead;
}

export type TargetName = 'proof, large tree' | 'proof, small tree' | 'heads/latest, large tree';
export const TARGETS: readonly TargetName[] = [
  'proof, large tree',
  'proof, small tree',
  'heads/latest, large tree',
];

export interface LoadOptions {
  rounds: number;
  /** Measured requests per target and round (after as many warm-up requests, untimed, once). */
  requests: number;
  /** Requests in flight at once. */
  inFlight: number;
}

/** An answered proof kept for the check: the leaf asked for and the body. */
interface Answered {
  index: number;
  body: unknown;
}

const VERIFY_EVERY = 10;

/** Runs `requests` requests of `target`, `inFlight` at a time; their latencies and a sample of proofs. */
async function measure(
  target: TargetName,
  trees: { large: ServedTree; small: ServedTree },
  requests: number,
  inFlight: number,
  seed: number,
): Promise<{ latencies: number[]; sample: Answered[] }> {
  const tree = target === 'proof, small tree' ? trees.small : trees.large;
  const rand = random(seed);
  const latencies: number[] = [];
  const sample: Answered[] = [];
  let sent = 0;
  const lane = async (): Promise<void> => {
    while (sent < requests) {
      const n = sent++;
      const index = Math.floor(rand() * tree.size);
      const path =
        target === 'heads/latest, large tree'
          ? '/v1/audit/heads/latest'
          : `/v1/audit/events/${encodeURIComponent(leafEventId(index))}/proof`;
      const start = performance.now();
      const response = await fetch(`http://127.0.0.1:${tree.port}${path}`, {
        headers: { authorization: `Bearer ${tree.token}` },
      });
      const text = await response.text();
      latencies.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`${target}: ${path} answered ${response.status}: ${text}`);
      if (target !== 'heads/latest, large tree' && n % VERIFY_EVERY === 0)
        sample.push({ index, body: JSON.parse(text) as unknown });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { latencies, sample };
}

/** Throws unless `answer` proves leaf `index` (with the event hash it was built with) under `tree`'s root. */
function checkProof(answer: Answered, tree: ServedTree, target: TargetName): void {
  const body = answer.body as {
    eventId?: unknown;
    eventHash?: unknown;
    leafIndex?: unknown;
    treeSize?: unknown;
    path?: unknown;
    head?: unknown;
  };
  const where = `${target}: leaf ${answer.index}`;
  if (body.eventId !== leafEventId(answer.index) || body.leafIndex !== answer.index)
    throw new Error(`${where}: answered event ${String(body.eventId)} at leaf ${String(body.leafIndex)}`);
  if (body.eventHash !== leafEventHash(answer.index)) throw new Error(`${where}: another event hash`);
  if (body.treeSize !== tree.size || JSON.stringify(body.head) !== JSON.stringify(tree.head))
    throw new Error(`${where}: proved under another head (${String(body.treeSize)} leaves)`);
  const check = verifyInclusion(
    nodeSha256,
    answer.index,
    tree.size,
    eventLeafHash(nodeSha256, leafEventHash(answer.index)),
    hashesFromHex(body.path, 'path'),
    hashFromHex(tree.root, 'root'),
  );
  if (!check.ok) throw new Error(`${where}: the proof does not verify: ${check.message}`);
}

interface RoundFigures {
  p50: number;
  p99: number;
}

const ms = (n: number): string => `${fixed(n, 2)} ms`;

/**
 * Measures every target over the rounds and prints a line per round; answers the summary lines.
 * Throws on any answer but 200 and on any sampled proof that does not verify.
 */
export async function benchProofs(
  trees: { large: ServedTree; small: ServedTree },
  options: LoadOptions,
): Promise<string[]> {
  for (const target of TARGETS) await measure(target, trees, options.requests, options.inFlight, 7);
  const figures = new Map<TargetName, RoundFigures[]>(TARGETS.map((t) => [t, []]));
  let verified = 0;
  for (let round = 0; round < options.rounds; round++) {
    const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]!);
    const parts: string[] = [];
    for (const target of order) {
      const { latencies, sample } = await measure(
        target,
        trees,
        options.requests,
        options.inFlight,
        1_000 + round,
      );
      const tree = target === 'proof, small tree' ? trees.small : trees.large;
      for (const answer of sample) checkProof(answer, tree, target);
      verified += sample.length;
      const f = { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
      figures.get(target)!.push(f);
      parts.push(`${target} p50 ${ms(f.p50)} p99 ${ms(f.p99)}`);
    }
    console.log(`proofs round ${round + 1}: ${parts.join('; ')}`);
  }
  const of = (target: TargetName) => ({
    p50: median(figures.get(target)!.map((f) => f.p50)),
    p99: median(figures.get(target)!.map((f) => f.p99)),
  });
  const large = of('proof, large tree');
  const lines = TARGETS.map((target) => {
    const f = of(target);
    return `${target.padEnd(24)} p50 ${ms(f.p50)}, p99 ${ms(f.p99)} (median of ${options.rounds} rounds)`;
  });
  for (const base of ['proof, small tree', 'heads/latest, large tree'] as const) {
    const b = of(base);
    lines.push(
      `proof at ${fixed(trees.large.size)} leaves / ${base}: p50 ${ratio(large.p50, b.p50)}, p99 ${ratio(large.p99, b.p99)}`,
    );
  }
  lines.push(
    `${fixed(verified)} answered proofs checked with verifyInclusion against the built roots: all verify`,
  );
  return lines;
}

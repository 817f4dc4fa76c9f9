// The ledger benchmark's small shared pieces: its knobs (positive integers from the environment),
// the statistics it reports (median of rounds, percentiles of latencies), how it prints numbers,
// and the synthetic events, policy and signing key of its ledgers and heads. Kept apart so that each part
// (appends.ts, tree.ts, proofs.ts, offline.ts) prints its figures the same way.
import { createHash } from 'node:crypto';
import type { AuditEventInput } from '../../store/index.js';
import { type SigningKey, newSigningKeyPem, signingKeyFrom } from '../../workflows/ledger/keys.js';

/** A positive integer knob from the environment (BENCH_...), or its default. */
export function knob(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile `p` (0-100) of `values`; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** A number with thousands separators and a fixed count of decimals. */
export const fixed = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const ratio = (a: number, b: number): string => `${fixed(a / b, 2)}x`;

export const mebibytes = (bytes: number): string => `${fixed(bytes / 2 ** 20, 0)} MiB`;

/** Milliseconds since `start` (performance.now()). */
export const since = (start: number): number => performance.now() - start;

export const seconds = (ms: number): string => `${fixed(ms / 1000, 1)} s`;

/** The policy every synthetic event names: a digest like the ledger's real ones. */
export const BENCH_POLICY = {
  name: 'IT change management',
  version: 3,
  sha256: createHash('sha256').update('bench ledger policy').digest('hex'),
} as const;

const span = (line: number) => ({ file: 0, line, col: 3, endLine: line, endCol: 40 });

/** An event as the worker's transition effects write it (workflows/activities/effects.ts) for `chain`. */
export function benchEvent(chain: string, seq: number, at: Date): AuditEventInput {
  const step = seq === 1 ? null : `review-${seq % 4}`;
  return {
    chain,
    seq,
    id: `${chain}:${seq}`,
    at,
    type: seq === 1 ? 'started' : seq % 2 === 0 ? 'action' : 'decision',
    instanceId: chain,
    process: 'standard-change',
    project: 'SAP rollout',
    policy: BENCH_POLICY,
    step,
    text: seq === 1 ? 'standard-change started' : `${step} approved`,
    actor: seq % 2 === 0 ? 'ada.approver@bench.example' : null,
    onBehalfOf: null,
    outcome: null,
    reasons: step === null ? [] : [{ text: `${step} is required for this change`, span: span(10 + seq) }],
    span: step === null ? null : span(10 + seq),
  };
}

/** A fresh Ed25519 signing key for this run's heads (nothing is kept after it). */
export function benchSigningKey(): SigningKey {
  return signingKeyFrom(newSigningKeyPem(), 'the benchmark key');
}

/** SHA-256 hex of a string: the synthetic event hashes of the tree and the export. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Resolves after `ms`, or at once when `cut` is called (a loop told to stop between runs). */
export function pause(ms: number): { done: Promise<void>; cut: () => void } {
  let cut: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    cut = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, cut };
}

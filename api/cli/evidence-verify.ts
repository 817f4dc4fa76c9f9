// `charter audit verify --evidence bundle.json [--public-key key.pem]`: an instance's evidence
// bundle (api/audit/evidence.ts, FORMAT.md "Evidence bundle") checked with no server:
// - the head's Ed25519 signature, with the auditor's key (or, without one, the key the bundle
//   carries, which proves only that the bundle is self-consistent: the summary says so);
// - each policy version: its IR hashes to its sha256, and each source text to the digest the IR
//   lists for it, so the text shown is the text that ran;
// - each event's hash recomputed, and each chain linked from seq 1 without gaps;
// - each event under the head has an inclusion proof, and every proof verifies against the head.
import { UsageError } from '../../dsl/cli/files.js';
import {
  eventLeafHash,
  exportedEventHash,
  hashesFromHex,
  hashFromHex,
  verifyInclusion,
} from '../../engine/ledger/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { keyIdOf } from '../../workflows/ledger/keys.js';
import { headProblem, nodeSha256, nodeSha256Hex, readJsonFile, readKeys } from './offline-verify.js';

export interface EvidenceReport {
  ok: boolean;
  instance: string;
  events: number;
  proven: number;
  notUnderHead: number;
  head: SignedHead | null;
  /** Whether the head was checked with a key the auditor gave, not only the bundle's own. */
  keyFromAuditor: boolean;
  firstProblem?: { problem: string; event: string | null; detail: string };
}

interface BundleEvent {
  id: string;
  chain: string;
  seq: number;
  prevHash: string;
  hash: string;
  leafIndex?: number;
  [field: string]: unknown;
}

interface Bundle {
  format: string;
  instance: string;
  head: SignedHead | null;
  key: { keyId: string; publicKey: string } | null;
  policies: {
    name: string;
    version: number;
    sha256: string;
    ir: string;
    sources: { path: string; text: string }[];
  }[];
  events: BundleEvent[];
  proofs: { eventId: string; leafIndex: number; treeSize: number; path: string[] }[];
}

function readBundle(file: string): Bundle {
  const value = readJsonFile(file);
  const bundle = value as Partial<Bundle> | null;
  if (typeof bundle !== 'object' || bundle === null || bundle.format !== 'charter-evidence/1')
    throw new UsageError(`${file}: not a Charter evidence bundle (format charter-evidence/1)`);
  if (!Array.isArray(bundle.events) || !Array.isArray(bundle.proofs) || !Array.isArray(bundle.policies))
    throw new UsageError(`${file}: the bundle lacks its events, proofs or policies`);
  return bundle as Bundle;
}

/** The first thing wrong with a policy version's IR or sources, or null. */
function policyProblem(policy: Bundle['policies'][number]): string | null {
  if (nodeSha256Hex(policy.ir) !== policy.sha256)
    return `${policy.name} v${policy.version}: its IR does not hash to ${policy.sha256}`;
  let listed: { path: string; sha256: string }[];
  try {
    listed = (JSON.parse(policy.ir) as { sources: { path: string; sha256: string }[] }).sources;
  } catch {
    return `${policy.name} v${policy.version}: its IR is not JSON`;
  }
  for (const source of policy.sources) {
    const digest = listed.find((l) => l.path === source.path)?.sha256;
    if (digest === undefined)
      return `${policy.name} v${policy.version}: ${source.path} is not one of its sources`;
    if (nodeSha256Hex(source.text) !== digest)
      return `${policy.name} v${policy.version}: the text of ${source.path} was changed`;
  }
  return null;
}

/** The first broken hash or link in the bundle's chains, or null. */
function chainProblem(events: readonly BundleEvent[]): { event: string | null; detail: string } | null {
  for (const event of events) {
    if (exportedEventHash(nodeSha256Hex, event) !== event.hash)
      return { event: event.id, detail: 'its fields no longer give its recorded hash' };
  }
  const chains = new Map<string, BundleEvent[]>();
  for (const event of events) {
    const list = chains.get(event.chain);
    if (list === undefined) chains.set(event.chain, [event]);
    else list.push(event);
  }
  for (const [chain, list] of chains) {
    list.sort((a, b) => a.seq - b.seq);
    let last = '0'.repeat(64);
    for (let i = 0; i < list.length; i++) {
      const event = list[i]!;
      if (event.seq !== i + 1) return { event: null, detail: `chain ${chain} has no seq ${i + 1}` };
      if (event.prevHash !== last)
        return { event: event.id, detail: `chain ${chain} seq ${event.seq} does not link to seq ${i}` };
      last = event.hash;
    }
  }
  return null;
}

export function verifyEvidence(file: string, publicKeyFiles: readonly string[]): EvidenceReport {
  const bundle = readBundle(file);
  const fromAuditor = publicKeyFiles.length > 0;
  const keys = fromAuditor ? readKeys(publicKeyFiles) : new Map<string, string>();
  if (!fromAuditor && bundle.key !== null) keys.set(keyIdOf(bundle.key.publicKey), bundle.key.publicKey);
  const head = bundle.head;
  const base = { instance: bundle.instance, events: bundle.events.length, head, keyFromAuditor: fromAuditor };
  const proven = bundle.proofs.length;
  const fail = (problem: string, event: string | null, detail: string): EvidenceReport => ({
    ...base,
    ok: false,
    proven,
    notUnderHead: bundle.events.length - proven,
    firstProblem: { problem, event, detail },
  });
  if (head !== null) {
    const signed = headProblem(head, keys, 'head');
    if (signed !== null) return fail(signed.problem, null, signed.detail);
  }
  for (const policy of bundle.policies) {
    const wrong = policyProblem(policy);
    if (wrong !== null) return fail('policy changed', null, wrong);
  }
  const named = new Set(bundle.policies.map((p) => `${p.name}@${p.version}@${p.sha256}`));
  for (const event of bundle.events) {
    const ref = event['policy'] as { name?: unknown; version?: unknown; sha256?: unknown } | undefined;
    if (!named.has(`${String(ref?.name)}@${String(ref?.version)}@${String(ref?.sha256)}`))
      return fail(
        'policy missing',
        event.id,
        'the bundle holds no policy version with the hash this event names',
      );
  }
  const broken = chainProblem(bundle.events);
  if (broken !== null) return fail('broken chain', broken.event, broken.detail);
  const byId = new Map(bundle.events.map((e) => [e.id, e]));
  const provenIds = new Set<string>();
  for (const proof of bundle.proofs) {
    const event = byId.get(proof.eventId);
    if (event === undefined)
      return fail('bad proof', proof.eventId, 'a proof for an event the bundle does not hold');
    if (head === null || proof.treeSize !== head.treeSize || event.leafIndex !== proof.leafIndex)
      return fail('bad proof', event.id, "the proof is not for the event's leaf under the bundle's head");
    let check;
    try {
      const leaf = eventLeafHash(nodeSha256, event.hash);
      check = verifyInclusion(
        nodeSha256,
        proof.leafIndex,
        proof.treeSize,
        leaf,
        hashesFromHex(proof.path),
        hashFromHex(head.rootHash),
      );
    } catch (error) {
      return fail('bad proof', event.id, error instanceof Error ? error.message : String(error));
    }
    if (!check.ok) return fail('bad proof', event.id, check.message);
    provenIds.add(event.id);
  }
  const unproven = bundle.events.find(
    (e) => head !== null && e.leafIndex !== undefined && e.leafIndex < head.treeSize && !provenIds.has(e.id),
  );
  if (unproven !== undefined)
    return fail(
      'missing proof',
      unproven.id,
      `leaf ${unproven.leafIndex} is under the head but has no proof`,
    );
  return { ...base, ok: true, proven, notUnderHead: bundle.events.length - proven };
}

export function evidenceSummary(report: EvidenceReport, file: string): string {
  const counts = `${report.events} events, ${report.proven} proved under the head, ${report.notUnderHead} not under it yet`;
  if (!report.ok) {
    const p = report.firstProblem!;
    return `${file} does NOT verify (${counts}): ${p.problem}${p.event === null ? '' : ` at event ${p.event}`}: ${p.detail}\n`;
  }
  const head =
    report.head === null
      ? 'no signed head (nothing proved)'
      : `the head of ${report.head.treeSize} leaves signed ${report.head.timestamp} by key ${report.head.keyId}`;
  const key = report.keyFromAuditor
    ? ''
    : '; checked with the key the bundle carries: give --public-key to check it against the key you kept';
  return `${file} verifies: instance ${report.instance}, ${counts}, against ${head}; policy hashes, event hashes, chains and proofs checked${key}\n`;
}

// An instance's evidence bundle (issue 17): one JSON file an auditor attaches to a finding, which
// `charter audit verify --evidence` checks with no database and no server. It holds:
// - the policy versions the instance's events name: their IR (canonical JSON, which hashes to the
//   version's sha256) and source texts (each hashing to the digest the IR lists for it);
// - the instance's events (its own chain and its chain of refused attempts), each as the export
//   writes it, with `leafIndex` once it is a leaf;
// - for every event under the newest signed head, its inclusion proof against that head;
// - the head, and the public key it names (the auditor should check it against the key they kept).
// Format in engine/ledger/FORMAT.md, "Evidence bundle".
import { createHash } from 'node:crypto';
import {
  hashToHex,
  inclusionProof,
  inclusionProofNodes,
  type NodeId,
  type Sha256,
} from '../../engine/ledger/index.js';
import { canonicalJson } from '../../engine/ir/index.js';
import type { AuditEvent, Store } from '../../store/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { nodeId } from '../../store/ledger-tree.js';
import { notFound } from '../errors.js';

export const EVIDENCE_FORMAT = 'charter-evidence/1';
const PAGE = 500;

const sha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();

export interface EvidenceBundle {
  format: typeof EVIDENCE_FORMAT;
  instance: string;
  generatedAt: string;
  head: SignedHead | null;
  key: { keyId: string; publicKey: string } | null;
  policies: {
    name: string;
    version: number;
    sha256: string;
    /** The IR as canonical JSON: its SHA-256 is `sha256`. */
    ir: string;
    sources: { path: string; text: string }[];
  }[];
  events: (AuditEvent & { leafIndex?: number })[];
  proofs: { eventId: string; leafIndex: number; treeSize: number; path: string[] }[];
  /** Events the head does not cover yet (appended after it, or not yet leaves). */
  notUnderHead: number;
}

async function eventsOf(store: Store, instanceId: string): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  let page = await store.audit.query({ instanceId }, { limit: PAGE });
  for (;;) {
    out.push(...page.events);
    if (page.next === null) return out;
    page = await store.audit.query({ instanceId }, { after: page.next, limit: PAGE });
  }
}

async function policiesOf(store: Store, events: readonly AuditEvent[]): Promise<EvidenceBundle['policies']> {
  const refs = new Map(events.map((e) => [`${e.policy.name}@${e.policy.version}`, e.policy]));
  const out: EvidenceBundle['policies'] = [];
  for (const ref of refs.values()) {
    const published = await store.policies.get(ref.name, ref.version);
    // A version that is gone cannot be attached; the events still name its hash.
    if (published === null) continue;
    out.push({
      name: published.name,
      version: published.version,
      sha256: published.sha256,
      ir: canonicalJson(published.compiled.ir),
      sources: published.sources.map((s) => ({ path: s.path, text: s.text })),
    });
  }
  return out;
}

/** Inclusion proofs of every event under `head`, from one read of all the nodes they need. */
async function proofsOf(
  store: Store,
  events: readonly AuditEvent[],
  head: SignedHead | null,
): Promise<{ leaves: Map<string, number>; proofs: EvidenceBundle['proofs'] }> {
  const found = await store.ledgerTree.leavesOf(events.map((e) => e.id));
  const leaves = new Map([...found].map(([id, leaf]) => [id, leaf.index]));
  if (head === null) return { leaves, proofs: [] };
  const under = events.flatMap((e) => {
    const index = leaves.get(e.id);
    return index !== undefined && index < head.treeSize ? [{ id: e.id, index }] : [];
  });
  const wanted: NodeId[] = under.flatMap((u) => inclusionProofNodes(u.index, head.treeSize));
  const nodes = await store.ledgerTree.nodes(wanted);
  const get = (level: number, index: number): Uint8Array | undefined => {
    const hash = nodes.get(nodeId(level, index));
    return hash === undefined ? undefined : Buffer.from(hash, 'hex');
  };
  const proofs = under.map((u) => ({
    eventId: u.id,
    leafIndex: u.index,
    treeSize: head.treeSize,
    path: inclusionProof(sha256, u.index, head.treeSize, get).map(hashToHex),
  }));
  return { leaves, proofs };
}

export async function evidenceBundle(store: Store, instanceId: string, now: Date): Promise<EvidenceBundle> {
  const events = await eventsOf(store, instanceId);
  if (events.length === 0) throw notFound(`instance ${instanceId} (it has no ledger events)`);
  const head = await store.ledgerHeads.latest();
  const [key, policies, { leaves, proofs }] = await Promise.all([
    head === null ? null : store.ledgerHeads.key(head.keyId),
    policiesOf(store, events),
    proofsOf(store, events, head),
  ]);
  return {
    format: EVIDENCE_FORMAT,
    instance: instanceId,
    generatedAt: now.toISOString(),
    head,
    key: key === null ? null : { keyId: key.keyId, publicKey: key.publicKey },
    policies,
    events: events.map((e) => {
      const index = leaves.get(e.id);
      return index === undefined ? e : { ...e, leafIndex: index };
    }),
    proofs,
    notUnderHead: events.length - proofs.length,
  };
}

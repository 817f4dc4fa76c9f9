// Routes of /v1/audit for the ledger's Merkle tree (issue 17): signed tree heads (the newest,
// earlier ones, a new one on demand), the public keys they were signed with, an event's inclusion
// proof under a head, and a consistency proof between two heads. What the hashes and proofs are is
// engine/ledger/FORMAT.md; an auditor checks them offline with `charter audit verify --offline`.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  consistencyProof,
  consistencyProofNodes,
  hashToHex,
  inclusionProof,
  inclusionProofNodes,
  type NodeId,
  type Sha256,
} from '../../engine/ledger/index.js';
import type { Role, Store } from '../../store/index.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { nodeId } from '../../store/ledger-tree.js';
import { ApiError, notFound } from '../errors.js';
import { streamTreeExport } from './tree-export.js';
import { EVIDENCE_FORMAT, evidenceBundle } from './evidence.js';
import { auditEventSchema } from './routes.js';
import { json, route, type RouteSpec } from '../route.js';

const AUDIT_ROLES: readonly Role[] = ['auditor', 'pmo', 'admin'];
/** Asking for a new head runs the signer: auditors and admins, who answer for the ledger. */
const SIGN_ROLES: readonly Role[] = ['auditor', 'admin'];
const SIGNER_WORKFLOW = 'charterLedgerSigner';

const sha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest();

const hex = z.string().regex(/^[0-9a-f]{64}$/);
export const signedHeadSchema = z.object({
  treeSize: z.number().int(),
  rootHash: hex.describe('RFC 9162 root of the first treeSize leaves, lowercase hex'),
  timestamp: z.string().describe('when it was signed (ISO 8601, UTC, milliseconds)'),
  keyId: z.string().describe('first 16 hex digits of the SHA-256 of the signing key (SPKI DER)'),
  signature: z.string().describe("Ed25519 over RFC 9162's TreeHeadDataV2 bytes, base64"),
});
const keySchema = z.object({
  keyId: z.string(),
  algorithm: z.literal('ed25519'),
  publicKey: z.string().describe('SPKI, PEM'),
  addedAt: z.string(),
});
const size = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const headsQuery = z.strictObject({
  before: size.optional().describe('list heads of smaller trees than this (the page cursor)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const proofQuery = z.strictObject({
  treeSize: size.optional().describe('the head to prove against; the newest by default'),
});
const consistencyQuery = z.strictObject({ first: size, second: size });

const inclusionSchema = z.object({
  eventId: z.string(),
  eventHash: hex,
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  path: z.array(hex).describe('RFC 9162 inclusion proof, from the leaf up'),
  head: signedHeadSchema,
});
const consistencySchema = z.object({
  first: signedHeadSchema,
  second: signedHeadSchema,
  path: z.array(hex).describe('RFC 9162 consistency proof'),
});
const evidenceSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  instance: z.string(),
  generatedAt: z.string(),
  head: signedHeadSchema.nullable(),
  key: z.object({ keyId: z.string(), publicKey: z.string() }).nullable(),
  policies: z.array(
    z.object({
      name: z.string(),
      version: z.number().int(),
      sha256: hex,
      ir: z.string().describe('the IR as canonical JSON; its SHA-256 is sha256'),
      sources: z.array(z.object({ path: z.string(), text: z.string() })),
    }),
  ),
  events: z.array(auditEventSchema.extend({ leafIndex: z.number().int().optional() })),
  proofs: z.array(
    z.object({
      eventId: z.string(),
      leafIndex: z.number().int(),
      treeSize: z.number().int(),
      path: z.array(hex),
    }),
  ),
  notUnderHead: z.number().int(),
});
const signSchema = z.object({
  size: z
    .number()
    .int()
    .nullable()
    .describe('the tree size after the run; null while it is still running (202)'),
  added: z.number().int().nullable(),
  signed: z.boolean(),
  head: signedHeadSchema.nullable(),
  running: z.string().optional().describe('202 only: the id of the signer run still going'),
  message: z.string().optional(),
});

/** How long POST /v1/audit/heads waits for the signer before answering 202 with the run's id. */
const SIGN_WAIT_MS = 5_000;

/** The head of `treeSize`, or the newest; 404 when there is none. */
async function headOf(store: Store, treeSize: number | undefined): Promise<SignedHead> {
  const head =
    treeSize === undefined ? await store.ledgerHeads.latest() : await store.ledgerHeads.ofSize(treeSize);
  if (head !== null) return head;
  throw treeSize === undefined
    ? new ApiError(404, 'not-found', 'no tree head is signed yet: POST /v1/audit/heads signs one')
    : new ApiError(404, 'not-found', `no head of tree size ${treeSize} was signed`, [
        { path: 'query.treeSize', message: 'must be the size of a signed head (GET /v1/audit/heads)' },
      ]);
}

/** The stored perfect nodes a proof needs, read in one find, as the engine's proof builders ask. */
async function nodeReader(store: Store, ids: readonly NodeId[]) {
  const found = await store.ledgerTree.nodes(ids);
  return (level: number, index: number): Uint8Array | undefined => {
    const hash = found.get(nodeId(level, index));
    return hash === undefined ? undefined : Buffer.from(hash, 'hex');
  };
}

export function ledgerRoutes(): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/audit/heads',
      summary: 'Signed tree heads of the ledger, largest tree first, a page at a time',
      roles: AUDIT_ROLES,
      query: headsQuery,
      response: z.object({ items: z.array(signedHeadSchema), nextBefore: z.number().int().nullable() }),
      handler: async ({ query, deps }) =>
        json(await deps.store.ledgerHeads.page(query.before ?? null, query.limit)),
    }),
    route({
      method: 'get',
      path: '/audit/heads/latest',
      summary:
        'The newest signed tree head: what an auditor keeps outside Charter (`charter audit checkpoint`)',
      roles: AUDIT_ROLES,
      response: signedHeadSchema,
      handler: async ({ deps }) => json(await headOf(deps.store, undefined)),
    }),
    route({
      method: 'post',
      path: '/audit/heads',
      summary:
        'Grows the tree by every event appended since and signs a head now (the signer runs on a schedule too); 202 with the run id when it takes longer than 5 s',
      roles: SIGN_ROLES,
      response: signSchema,
      handler: async ({ deps }) => {
        const workflowId = `charter:ledger-signer:now:${deps.now().toISOString()}`;
        const handle = await deps.temporal.workflow.start(SIGNER_WORKFLOW, {
          taskQueue: deps.taskQueue,
          workflowId,
          args: [],
          // Without a worker it would wait forever; the schedule's next run does the same work.
          workflowExecutionTimeout: '1 hour',
        });
        // Most runs take a second; a first tree over a large ledger, or no worker, takes longer:
        // the caller then gets the run's id and reads the head when it is there. Polled with
        // describe, not raced against result(): a result() left waiting would keep long-polling
        // Temporal after the answer went out.
        const deadline = Date.now() + SIGN_WAIT_MS;
        while ((await handle.describe()).status.name === 'RUNNING') {
          if (Date.now() >= deadline) {
            return json(
              {
                size: null,
                added: null,
                signed: false,
                head: null,
                running: workflowId,
                message: `the signer is still running after ${SIGN_WAIT_MS / 1000} s: GET /v1/audit/heads/latest shortly`,
              },
              202,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const result: unknown = await handle.result();
        return json(signSchema.parse(result));
      },
    }),
    route({
      method: 'get',
      path: '/audit/keys',
      summary:
        'Every public key tree heads were signed with, oldest first (heads signed before a rotation verify with theirs)',
      roles: AUDIT_ROLES,
      response: z.object({ items: z.array(keySchema) }),
      handler: async ({ deps }) => {
        const keys = await deps.store.ledgerHeads.allKeys();
        return json({ items: keys.map((k) => ({ ...k, addedAt: k.addedAt.toISOString() })) });
      },
    }),
    route({
      method: 'get',
      path: '/audit/events/:id/proof',
      summary: "An event's inclusion proof under a signed head (the newest by default)",
      roles: AUDIT_ROLES,
      params: z.strictObject({ id: z.string().min(1).max(1_000) }),
      query: proofQuery,
      response: inclusionSchema,
      handler: async ({ params, query, deps }) => {
        const head = await headOf(deps.store, query.treeSize);
        const leaf = (await deps.store.ledgerTree.leavesOf([params.id])).get(params.id);
        if (leaf === undefined) {
          if ((await deps.store.audit.get(params.id)) === null) throw notFound(`audit event ${params.id}`);
          throw new ApiError(
            409,
            'not-yet-in-tree',
            `audit event ${params.id} is not in the tree yet: the next head covers it (or POST /v1/audit/heads)`,
          );
        }
        if (leaf.index >= head.treeSize) {
          throw new ApiError(
            409,
            'not-under-head',
            `audit event ${params.id} is leaf ${leaf.index}, after the head of tree size ${head.treeSize}: ask a newer head`,
            [{ path: 'query.treeSize', message: `must be more than ${leaf.index}` }],
          );
        }
        const get = await nodeReader(deps.store, inclusionProofNodes(leaf.index, head.treeSize));
        const path = inclusionProof(sha256, leaf.index, head.treeSize, get).map(hashToHex);
        return json({
          eventId: params.id,
          eventHash: leaf.eventHash,
          leafIndex: leaf.index,
          treeSize: head.treeSize,
          path,
          head,
        });
      },
    }),
    route({
      method: 'get',
      path: '/audit/evidence/:instanceId',
      summary:
        "An instance's evidence bundle: policy IR and sources, its events, their inclusion proofs and the signed head (a download)",
      roles: AUDIT_ROLES,
      params: z.strictObject({ instanceId: z.string().min(1).max(500) }),
      query: z.strictObject({}),
      response: evidenceSchema,
      handler: async ({ params, deps, res }) => {
        const bundle = await evidenceBundle(deps.store, params.instanceId, deps.now());
        const name = params.instanceId.replace(/[^A-Za-z0-9._-]/g, '_');
        res.set('content-disposition', `attachment; filename="charter-evidence-${name}.json"`);
        return json(bundle);
      },
    }),
    route({
      method: 'get',
      path: '/audit/tree/export',
      summary:
        'Every ledger event as JSON Lines in Merkle leaf order, with leafIndex, for `charter audit verify --offline` (engine/ledger/FORMAT.md)',
      roles: AUDIT_ROLES,
      query: z.strictObject({}),
      produces: ['application/x-ndjson'],
      handler: async ({ deps, res }) => {
        await streamTreeExport(deps.store, res, deps.now());
        return { streamed: true };
      },
    }),
    route({
      method: 'get',
      path: '/audit/consistency',
      summary: 'A consistency proof between two signed heads: the larger tree extends the smaller',
      roles: AUDIT_ROLES,
      query: consistencyQuery,
      response: consistencySchema,
      handler: async ({ query, deps }) => {
        if (query.first > query.second) {
          throw new ApiError(422, 'invalid-request', 'first must not be larger than second', [
            { path: 'query.first', message: `must be at most second (${query.second})` },
          ]);
        }
        const [first, second] = await Promise.all([
          headOf(deps.store, query.first),
          headOf(deps.store, query.second),
        ]);
        const get = await nodeReader(deps.store, consistencyProofNodes(first.treeSize, second.treeSize));
        const path = consistencyProof(sha256, first.treeSize, second.treeSize, get).map(hashToHex);
        return json({ first, second, path });
      },
    }),
  ];
}

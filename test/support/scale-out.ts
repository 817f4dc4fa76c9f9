// The scale-out suite's world and its checks (test/integration/scale-out.test.ts): a small process
// whose approval opens a task for two approvers and whose `notify` steps put signed webhooks in the
// outbox, people whose chat notices go to a local receiver, real tokens, and the readings of
// "exactly once" that several API processes and workers sharing one Temporal and one database must
// keep: every ledger fact once on a chain that verifies, every webhook and chat notice received once.
import type { Db } from 'mongodb';
import { issueToken } from '../../api/auth.js';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { Store } from '../../store/index.js';
import type { CharterProcess } from './charter-process.js';
import type { ChatReceiver } from './chat-receiver.js';
import type { InstanceFacts } from './worker-process.js';

export const POLICY_NAME = 'Scale out';

// Two notify steps around one approval: every instance queues one webhook before the review, the
// approved ones a second after it, so a lost or doubled message shows per instance. Either approver
// decides: one approval meets the quorum, and one rejection rejects (without the veto a rejection
// leaves the task open for the other approver, since the quorum could still be met).
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@scale.example"
role approvers = group "approvers"

process request {
  input {
    requester: person
    amount: number
  }
  notify approvers: "request {request.amount} waits for review"
  approve review {
    by approvers
    not request.requester
    any reject rejects
  }
  notify request.requester: "request {request.amount} was approved"
  end approved "request {request.amount} approved"
}
`;

export const PEOPLE = {
  requester: 'rita@scale.example',
  /** Each API's approver: ann decides through API 1, ben through API 2 (either may decide any task). */
  approvers: ['ann@scale.example', 'ben@scale.example'] as const,
  /** Requesters of the Idempotency-Key checks only, so "one instance with that input" is a count. */
  keyed: ['ida@scale.example', 'ivo@scale.example'] as const,
  admin: 'pmo@scale.example',
};

/** Where the outbox's signed webhooks go (CHARTER_WEBHOOKS); chat notices go to `/chat/<person>`. */
export const HOOK_PATH = '/hooks/pmo';
const chatPath = (person: string): string => `/chat/${person}`;

export interface Tokens {
  requester: string;
  approvers: [string, string];
  keyed: [string, string];
  admin: string;
}

/**
 * Publishes the policy and seeds the directory (chat targets on the receiver for everyone who gets
 * notices) and the tokens. The admin token also keeps `charter serve` from making a bootstrap one.
 */
export async function seedScaleOut(store: Store, receiver: ChatReceiver): Promise<Tokens> {
  const out = compileEntry('scale-out.charter', memoryHost({ 'scale-out.charter': POLICY }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  await store.policies.publish({
    compiled: out.compiled,
    sources: [{ path: 'scale-out.charter', text: POLICY }],
    publishedBy: PEOPLE.admin,
    at: new Date(),
  });
  const everyone = [PEOPLE.requester, ...PEOPLE.approvers, ...PEOPLE.keyed];
  await store.directory.seedFromWorld({
    groups: { approvers: [...PEOPLE.approvers] },
    managers: {},
    people: [...everyone, PEOPLE.admin],
  });
  for (const person of everyone) {
    await store.deliverySettings.setProfile(person, {
      chat: { format: 'slack', url: receiver.url(chatPath(person)) },
    });
  }
  const at = new Date();
  const token = (person: string, role: 'requester' | 'approver' | 'admin') =>
    issueToken(store, person, [role], 'scale-out', at);
  return {
    requester: await token(PEOPLE.requester, 'requester'),
    approvers: [await token(PEOPLE.approvers[0], 'approver'), await token(PEOPLE.approvers[1], 'approver')],
    keyed: [await token(PEOPLE.keyed[0], 'requester'), await token(PEOPLE.keyed[1], 'requester')],
    admin: await token(PEOPLE.admin, 'admin'),
  };
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One request over real HTTP; never waits more than `timeoutMs` (a hung API fails the test, named). */
export async function call<T = unknown>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  }).catch((error: unknown) => {
    throw new Error(`${method} ${base}${path}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

/** Every process's state and last lines (a dozen each: four processes), for a failure message. */
export function tails(processes: Record<string, CharterProcess>): string {
  return Object.entries(processes)
    .map(([name, p]) => {
      const state = p.exit() === null ? 'running' : `exited (${p.exit()})`;
      return `--- ${name} (pid ${p.pid}, ${state}):\n${p.lines().slice(-12).join('\n')}`;
    })
    .join('\n');
}

/**
 * What is wrong with one ended instance's ledger, as crash.test.ts reads "each fact once": seqs
 * 1..N exactly once, N being the workflow's own decision log, each with the logged text, distinct
 * ids, a chain that verifies, the end event with the expected outcome, every task closed.
 */
export function ledgerProblems(id: string, facts: InstanceFacts, outcome: 'approved' | 'rejected'): string[] {
  const problems: string[] = [];
  const say = (text: string): number => problems.push(`${id}: ${text}`);
  const { decisions, events, verify, tasks } = facts;
  if (!verify.ok) say(`audit chain does not verify: ${JSON.stringify(verify.firstProblem)}`);
  const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
  if (JSON.stringify(seqs) !== JSON.stringify(decisions.map((_, i) => i + 1)))
    say(`ledger seqs [${seqs.join(',')}] but the decision log has ${decisions.length} entries`);
  if (new Set(events.map((e) => e.id)).size !== events.length) say('duplicate audit event ids');
  for (const d of decisions) {
    const stored = events.filter((e) => e.seq === d.seq);
    if (stored.length !== 1 || stored[0]?.text !== d.text)
      say(`decision ${d.seq} "${d.text}" stored as ${JSON.stringify(stored.map((e) => e.text))}`);
  }
  const last = [...events].sort((a, b) => a.seq - b.seq).at(-1);
  if (last?.type !== 'ended' || last.outcome !== outcome)
    say(`last ledger event is ${last?.type} ${JSON.stringify(last?.text)}, expected the ${outcome} end`);
  if (tasks.length !== 1) say(`${tasks.length} tasks opened, expected the one review`);
  for (const { id: taskId, task } of tasks)
    if (task?.status !== 'closed') say(`task ${taskId} is ${task === null ? 'missing' : task.status}`);
  return problems;
}

interface QueuedItem {
  _id: string;
  status: string;
  attempts: number;
  instanceId?: string;
  channel?: string;
  notices?: { instance: { id: string } }[];
}

/** What the receiver got per delivery id (the `x-charter-delivery` header) on the paths matching `path`. */
function receivedCounts(receiver: ChatReceiver, path: (p: string) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const post of receiver.received()) {
    if (!path(post.path)) continue;
    const id = post.delivery ?? '(no delivery header)';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export interface DeliveryReport {
  problems: string[];
  webhooks: number;
  chat: number;
  /** Items sent again after a lease lapsed with the killed worker: the documented crash window. */
  redelivered: string[];
}

/**
 * Every outbox webhook and chat delivery of `ids` against what the receiver got: each one sent
 * (delivered) and received exactly once, nothing received that was never queued. The one allowed
 * second copy is an item claimed again after its lease lapsed (attempts > 1: the receiver always
 * answers 200, so only a worker that died holding the lease makes a second claim): the at-least-once
 * window store/outbox.ts documents, listed as `redelivered`. Two live senders must never both send.
 */
export async function deliveryReport(
  db: Db,
  receiver: ChatReceiver,
  ids: ReadonlySet<string>,
  webhooksPerInstance: (id: string) => number,
): Promise<DeliveryReport> {
  const problems: string[] = [];
  const redelivered: string[] = [];
  const outbox = await db.collection<QueuedItem>('outbox').find({}).toArray();
  const chat = (await db.collection<QueuedItem>('deliveries').find({ channel: 'chat' }).toArray()).filter(
    (d) => d.notices?.some((n) => ids.has(n.instance.id)),
  );
  const compare = (kind: string, items: QueuedItem[], received: Map<string, number>): void => {
    const queued = new Set(items.map((i) => i._id));
    for (const item of items) {
      const count = received.get(item._id) ?? 0;
      if (item.status !== 'delivered') problems.push(`${kind} ${item._id} is ${item.status}`);
      if (count === 0) problems.push(`${kind} ${item._id} never reached the receiver`);
      else if (count > 1 && item.attempts > 1) redelivered.push(`${kind} ${item._id} x${count}`);
      else if (count > 1)
        problems.push(`${kind} ${item._id} reached the receiver ${count} times on ${item.attempts} claim(s)`);
    }
    for (const id of received.keys())
      if (!queued.has(id)) problems.push(`${kind} ${id} was received but never queued`);
  };
  compare(
    'webhook',
    outbox,
    receivedCounts(receiver, (p) => p === HOOK_PATH),
  );
  compare(
    'chat',
    chat,
    receivedCounts(receiver, (p) => p.startsWith('/chat/')),
  );
  for (const id of ids) {
    const queued = outbox.filter((o) => o.instanceId === id).length;
    if (queued !== webhooksPerInstance(id))
      problems.push(`${id}: ${queued} webhooks queued, expected ${webhooksPerInstance(id)}`);
    if (!chat.some((d) => d.notices?.some((n) => n.instance.id === id)))
      problems.push(`${id}: no chat notice was queued (its approvers' tasks should have made some)`);
  }
  return { problems, webhooks: outbox.length, chat: chat.length, redelivered };
}

/** Until every item of the outbox and of the chat queue is finished, or the deadline; what is left. */
export async function queuesDrained(db: Db, deadline: number): Promise<string[]> {
  for (;;) {
    const open = { status: { $in: ['pending', 'leased'] } };
    const left = [
      ...(await db.collection<QueuedItem>('outbox').find(open).toArray()),
      ...(await db
        .collection<QueuedItem>('deliveries')
        .find({ ...open, channel: 'chat' })
        .toArray()),
    ];
    if (left.length === 0 || Date.now() > deadline)
      return left.map((i) => `${i._id} ${i.status} after ${i.attempts} claim(s)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

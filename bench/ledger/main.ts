// The audit ledger's Merkle tree at size (issue 17), three measurements, each against a baseline
// measured in the same run:
//
// 1. Appends (appends.ts): ledger events appended per second through `store.audit.append`, one to
//    three events per call on BENCH_LANES chains in flight, WITH the tree's signer (`growAndSign`
//    in a loop in the same process, every 250 ms) against the same appends WITHOUT it; rounds
//    alternate on fresh chains. Reported: the median rate of each, their ratio, and the leaves the
//    signer made meanwhile.
// 2. Inclusion proofs (tree.ts, servers.ts, proofs.ts): p50/p99 of `GET /v1/audit/events/{id}/proof`
//    over HTTP for random events of a BENCH_LEAVES-leaf tree (built fast, straight through
//    `LedgerTree.grow`; its build time is printed as context), against the same route on a
//    BENCH_SMALL_LEAVES-leaf tree in another database and against `GET /v1/audit/heads/latest`.
// 3. Offline verification (export-file.ts, offline-run.ts, offline.ts): `verifyOffline` of
//    api/cli/offline-verify.ts over an export of BENCH_LEAVES events written to a file in the temp
//    folder: its time, and RSS and heap sampled as it goes, against reading and JSON.parse-ing the
//    same lines (the floor); each run in a fresh child process.
//
// Fails (exit 1) rather than report numbers for work not done: a signer that made no leaf during
// the "with" rounds, a tree that does not end up holding every appended event once, a proof
// request answered other than 200, a sampled proof that does not verify, an offline verification
// that does not answer ok for every event, or a part that cannot run.
//
// Needs a MongoDB in MONGODB_URI, e.g. the test SecantusDB:
// `source .tools/run/test/env && npm run bench:ledger`. Uses the databases `bench_ledger` and
// `bench_ledger_small`, dropped at the start and the end.
// Knobs: BENCH_ROUNDS (3: rounds of each kind for appends, rounds for proofs), BENCH_LEAVES
// (1000000: the large tree and the export), BENCH_SMALL_LEAVES (1000), BENCH_APPENDS (3000 events
// per append round), BENCH_LANES (16 chains in flight), BENCH_REQUESTS (2000 proof requests per
// target and round), BENCH_IN_FLIGHT (4 requests in flight), BENCH_PARTS (appends,proofs,offline).
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Db, MongoClient } from 'mongodb';
import { issueToken } from '../../api/auth.js';
import { openStore } from '../../store/index.js';
import type { SigningKey } from '../../workflows/ledger/keys.js';
import { benchAppends } from './appends.js';
import { benchSigningKey, fixed, knob, seconds } from './figures.js';
import { benchOffline } from './offline.js';
import { benchProofs, type ServedTree } from './proofs.js';
import type { ServersReady, ServersStop } from './servers.js';
import { buildTree } from './tree.js';

const DB_NAME = 'bench_ledger';
const SMALL_DB_NAME = 'bench_ledger_small';
const ROUNDS = knob('BENCH_ROUNDS', 3);
const LEAVES = knob('BENCH_LEAVES', 1_000_000);
const SMALL_LEAVES = knob('BENCH_SMALL_LEAVES', 1_000);
const APPENDS = knob('BENCH_APPENDS', 3_000);
const LANES = knob('BENCH_LANES', 16);
const REQUESTS = knob('BENCH_REQUESTS', 2_000);
const IN_FLIGHT = knob('BENCH_IN_FLIGHT', 4);
const PARTS = (process.env['BENCH_PARTS'] ?? 'appends,proofs,offline').split(',').map((p) => p.trim());
for (const part of PARTS)
  if (!['appends', 'proofs', 'offline'].includes(part))
    throw new Error(`BENCH_PARTS: unknown part ${part} (appends, proofs, offline)`);
const uri = process.env['MONGODB_URI'];
if (uri === undefined) throw new Error('MONGODB_URI is not set: source .tools/run/test/env first');

async function appendsPart(db: Db, key: SigningKey): Promise<void> {
  console.log(
    `part 1, appends: ${ROUNDS} rounds without and ${ROUNDS} with the signer (every 250 ms), ` +
      `${fixed(APPENDS)} events per round in calls of 1-3 events, ${LANES} chains in flight`,
  );
  await db.dropDatabase();
  const store = await openStore(db);
  const options = { rounds: ROUNDS, events: APPENDS, lanes: LANES, chainLength: 12, signerEveryMs: 250 };
  for (const line of await benchAppends(store, key, options)) console.log(line);
  await db.dropDatabase();
}

/** Builds a tree in `db` (emptied first) and issues an auditor's token for the API to serve it. */
async function servedTree(db: Db, size: number, key: SigningKey, label: string): Promise<ServedTree> {
  await db.dropDatabase();
  const store = await openStore(db);
  const built = await buildTree(store, size, key, size >= 100_000 ? label : null);
  console.log(
    `${label}: built ${fixed(built.size)} leaves (${fixed(built.nodes)} perfect nodes) and one signed head ` +
      `in ${seconds(built.ms)} (${fixed((built.size / built.ms) * 1000)} leaves/s)`,
  );
  const token = await issueToken(store, 'ada.auditor@bench.example', ['auditor'], 'bench', new Date());
  return { port: 0, token, size: built.size, root: built.root, head: built.head };
}

/** The API for each database in one child process (servers.ts): its ports, and how to stop it. */
async function startServers(
  names: string[],
): Promise<{ ports: Record<string, number>; stop: () => Promise<void> }> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [], {
    env: { ...process.env, BENCH_DBS: names.join(',') },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<ServersReady>((resolve, reject) => {
    child.once('message', (m) => resolve(m as ServersReady));
    child.once('exit', (code) => reject(new Error(`servers.ts exited (code ${code}) before listening`)));
  });
  return {
    ports: ready.ports,
    stop: async () => {
      const stop: ServersStop = { kind: 'stop' };
      if (child.connected) child.send(stop);
      await exited;
    },
  };
}

async function proofsPart(db: Db, smallDb: Db, key: SigningKey): Promise<void> {
  console.log(
    `part 2, inclusion proofs: ${fixed(LEAVES)} leaves against ${fixed(SMALL_LEAVES)} leaves and heads/latest; ` +
      `${ROUNDS} rounds of ${fixed(REQUESTS)} requests per target, ${IN_FLIGHT} in flight, API in a child process`,
  );
  const large = await servedTree(db, LEAVES, key, `tree of ${fixed(LEAVES)}`);
  const small = await servedTree(smallDb, SMALL_LEAVES, key, `tree of ${fixed(SMALL_LEAVES)}`);
  const servers = await startServers([DB_NAME, SMALL_DB_NAME]);
  try {
    const trees = {
      large: { ...large, port: servers.ports[DB_NAME]! },
      small: { ...small, port: servers.ports[SMALL_DB_NAME]! },
    };
    for (const line of await benchProofs(trees, { rounds: ROUNDS, requests: REQUESTS, inFlight: IN_FLIGHT }))
      console.log(line);
  } finally {
    await servers.stop();
  }
}

async function main(): Promise<void> {
  // Not the store's client: its 60 s socket timeout is shorter than dropping a database of
  // millions of documents on SecantusDB.
  const mongo = new MongoClient(uri!, { socketTimeoutMS: 0 });
  await mongo.connect();
  const db = mongo.db(DB_NAME);
  const smallDb = mongo.db(SMALL_DB_NAME);
  const key = benchSigningKey();
  console.log(`ledger benchmark (Node ${process.version}), parts: ${PARTS.join(', ')}`);
  try {
    await db.dropDatabase();
    await smallDb.dropDatabase();
    if (PARTS.includes('appends')) await appendsPart(db, key);
    if (PARTS.includes('proofs')) await proofsPart(db, smallDb, key);
    if (PARTS.includes('offline'))
      for (const line of await benchOffline(LEAVES, key, ROUNDS)) console.log(line);
  } finally {
    await db.dropDatabase();
    await smallDb.dropDatabase();
    await mongo.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}

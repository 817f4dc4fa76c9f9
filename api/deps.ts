// What the API runs on, handed in by whoever starts it (api/main.ts, tests, the benchmark): no
// route reaches for a global connection, so tests wire real servers and benchmarks wire the same.
import type { Client } from '@temporalio/client';
import type { Role, Store } from '../store/index.js';

export interface ApiDeps {
  store: Store;
  temporal: Client;
  /** The task queue of the Charter worker, where new instances start. */
  taskQueue: string;
  now: () => Date;
  /** Readiness probes: each resolves when its server answers, rejects otherwise. */
  health: { mongo: () => Promise<void>; temporal: () => Promise<void> };
  /** Failures the client only sees as "internal": the operator needs them. */
  log: (line: string, error?: unknown) => void;
  /**
   * The people `npm start`'s demo lets anyone sign in as by picking them (no token). Absent
   * everywhere else: a real deployment signs in with tokens (and later single sign-on).
   */
  demoPeople?: readonly DemoPerson[];
}

export interface DemoPerson {
  person: string;
  roles: Role[];
  /** Who they are in the walkthrough, shown on the sign-in page. */
  why: string;
}

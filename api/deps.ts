// What the API runs on, handed in by whoever starts it (api/main.ts, tests, the benchmark): no
// route reaches for a global connection, so tests wire real servers and benchmarks wire the same.
import type { Client } from '@temporalio/client';
import type { Role, Store } from '../store/index.js';
import type { ApiMetrics } from './metrics.js';
import type { OidcRelyingParty } from './oidc/relying-party.js';

export interface ApiDeps {
  store: Store;
  temporal: Client;
  /** The task queue of the Charter worker, where new instances start. */
  taskQueue: string;
  now: () => Date;
  /** Readiness probes: each resolves when its server answers, rejects otherwise. */
  /** `/readyz`'s probes; `stopping` true once the process drains (503 without probing). */
  health: { mongo: () => Promise<void>; temporal: () => Promise<void>; stopping?: () => boolean };
  /** Failures the client only sees as "internal": the operator needs them. */
  log: (line: string, error?: unknown) => void;
  /** One entry per answered request (`charter serve` writes them as JSON lines); none when absent. */
  requestLog?: (entry: RequestLogEntry) => void;
  /** This process's figures for `/metrics`; the app makes its own when absent (tests). */
  metrics?: ApiMetrics;
  /**
   * The people `npm start`'s demo lets anyone sign in as by picking them (no token). Absent
   * everywhere else: a real deployment signs in with tokens or single sign-on.
   */
  demoPeople?: readonly DemoPerson[];
  /** Single sign-on with an OpenID Connect provider (CHARTER_OIDC_*); absent when not configured. */
  singleSignOn?: OidcRelyingParty;
}

export interface DemoPerson {
  person: string;
  roles: Role[];
  /** Who they are in the walkthrough, shown on the sign-in page. */
  why: string;
}

/** What the log says of one request: never its headers or body (tokens, secrets, personal data). */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  /** The route template (`/v1/instances/:id`), not the path: ids stay out of the log's keys. */
  route: string;
  status: number;
  ms: number;
  /** Who called, once authenticated; null for anonymous and refused calls. */
  person: string | null;
  /** The instance the request was about (its path or its answer), if any. */
  instanceId: string | null;
}

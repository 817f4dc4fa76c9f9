// What the monitor activities need of the findings store (store/findings.ts): the methods they
// call, as a structural type, so that the run's logic states its dependencies in one place.
import type { Store } from '../../store/index.js';

export interface FindingRecord {
  id: string;
  policy: { name: string; version: number; sha256: string };
  monitor: string;
  project: string;
  status: 'open' | 'acknowledged' | 'resolved' | 'waived' | 'closed';
  /** What the run found wrong, in the policy author's words: what its notices say. */
  message: string;
  owners: string[];
  added: string[];
  dueAt: Date | null;
  openedAt: Date;
}

export interface OpenFinding {
  policy: { name: string; version: number; sha256: string };
  monitor: string;
  project: string;
  runId: string;
  runAt: Date;
  day: string;
  message: string;
  why: string;
  health: 'amber' | 'red' | null;
  owners: string[];
  waivers: string[];
  dueAt: Date | null;
}

export interface FindingsPort {
  open(input: OpenFinding): Promise<{ status: 'opened' | 'seen' | 'waived'; finding: FindingRecord }>;
  /** `open` for many inputs at once (a page of a run), outcomes in input order. */
  openMany(
    inputs: readonly OpenFinding[],
  ): Promise<{ status: 'opened' | 'seen' | 'waived'; finding: FindingRecord }[]>;
  closePassing(input: {
    policy: string;
    monitor: string;
    projects: string[];
    runId: string;
    at: Date;
  }): Promise<FindingRecord[]>;
  get(id: string): Promise<FindingRecord | null>;
  addPeople(id: string, added: string[], at: Date): Promise<unknown>;
}

/** The store's findings, seen through the port (a compile error here means the two drifted). */
export const findingsOf = (store: Store): FindingsPort => store.findings;

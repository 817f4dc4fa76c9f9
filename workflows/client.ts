// Starting an instance, for the API, the CLI and tests: the newest published version of the
// policy in effect at the start is pinned into the workflow's arguments, so publishing a new
// version never changes an instance that is already running. Input is checked against the
// process's input block first, every problem with its field path. A retired version is never
// started (store/policy-retirements.ts); when none is in force the error says why.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type InputProblem, parseInput } from '../engine/input/index.js';
import type { NotInForce, PolicySummary, Store } from '../store/index.js';
import { INSTANCE_WORKFLOW, type StartInstance } from './definitions/messages.js';

export class StartError extends Error {
  constructor(
    readonly code: 'unknown-policy' | 'policy-retired' | 'unknown-process' | 'invalid-input',
    message: string,
    readonly problems: InputProblem[] = [],
  ) {
    super(message);
  }
}

export interface StartRequest {
  policy: string;
  process: string;
  input: unknown;
  startedBy: string;
  at: Date;
  /** Given by the caller to make a retried start idempotent (Temporal refuses a second start). */
  instanceId?: string;
}

export interface Started {
  instanceId: string;
  policy: PolicySummary;
}

export async function startInstance(
  deps: { client: Client; store: Store; taskQueue: string },
  request: StartRequest,
): Promise<Started> {
  const published = await deps.store.policies.newestInEffect(request.policy, request.at);
  if (!published) {
    throw notInForce(request.policy, await deps.store.policies.whyNoneInForce(request.policy, request.at));
  }
  const process = published.compiled.ir.processes.find((p) => p.name === request.process);
  if (!process) {
    const known = published.compiled.ir.processes.map((p) => p.name).join(', ');
    throw new StartError(
      'unknown-process',
      `policy "${request.policy}" has no process "${request.process}" (it has ${known})`,
    );
  }
  const input = parseInput(process, request.input);
  if (!input.ok)
    throw new StartError('invalid-input', `the input does not fit process ${process.name}`, input.problems);
  const instanceId = request.instanceId ?? `${process.name}-${randomUUID()}`;
  const args: StartInstance = {
    policy: published.compiled,
    process: process.name,
    input: input.values,
    instanceId,
    startedBy: request.startedBy,
  };
  await deps.client.workflow.start(INSTANCE_WORKFLOW, {
    taskQueue: deps.taskQueue,
    workflowId: instanceId,
    args: [args],
  });
  const { name, version, effective, owner, sha256, irVersion, processes, publishedBy, publishedAt } =
    published;
  return {
    instanceId,
    policy: { name, version, effective, owner, sha256, irVersion, processes, publishedBy, publishedAt },
  };
}

const day = (at: Date): string => at.toISOString().slice(0, 10);

/** Why nothing starts: unknown or not yet effective (422), or retired (409, with who, when, why). */
function notInForce(policy: string, why: NotInForce | null): StartError {
  const none = `no version of policy "${policy}" is in effect`;
  switch (why?.kind) {
    case 'policyRetired': {
      const { at, by, reason } = why.retirement;
      return new StartError(
        'policy-retired',
        `policy "${policy}" was retired on ${day(at)} by ${by}: ${reason}`,
      );
    }
    case 'allRetired': {
      const { version, at, by, reason } = why.latest;
      return new StartError(
        'policy-retired',
        `${none}: version ${version ?? '?'} was retired on ${day(at)} by ${by}: ${reason}`,
      );
    }
    case 'notYetEffective':
      return new StartError(
        'unknown-policy',
        `${none}: its first version takes effect on ${why.firstEffective}`,
      );
    default:
      // Unknown, or (after a race with a publisher) in force by now: a retry will tell.
      return new StartError('unknown-policy', none);
  }
}

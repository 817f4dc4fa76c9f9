// External compliance checks: an HTTP call to the service the policy names, at the URL the
// configuration gives it. The answer is evidence, kept as given. Temporal owns the retries and the
// per-attempt timeout the policy declared; this only has to fail loudly so that they happen.
// A service whose check takes days (a criminal-record extract) answers `pending` (or HTTP 202)
// at once and reports the result later through the instance's reportCheck Update.
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import type { CheckInput, CheckOutput } from './contract.js';

/** Service name to URL, from CHARTER_CHECK_SERVICES (JSON) or the worker's options. */
export type CheckServices = Record<string, string>;

const answerSchema = z.object({
  outcome: z.enum(['passed', 'failed', 'pending']),
  evidence: z.string().max(10_000).optional(),
  detail: z.string().max(10_000).optional(),
});

export async function runCheck(services: CheckServices, input: CheckInput): Promise<CheckOutput> {
  const url = services[input.service];
  if (url === undefined) {
    // Configuration, not the service: retrying cannot help, and the check must not pass.
    return { outcome: 'error', detail: `no URL is configured for check service "${input.service}"` };
  }
  const context = Context.current();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `${input.instance.instanceId}/${input.request}`,
    },
    body: JSON.stringify({
      instanceId: input.instance.instanceId,
      request: input.request,
      step: input.step,
      policy: input.instance.policy,
      process: input.instance.process,
      project: input.instance.project,
      attempt: context.info.attempt,
    }),
    signal: context.cancellationSignal,
  });
  const text = await response.text();
  if (response.status === 202) return { outcome: 'pending' };
  if (!response.ok)
    throw new Error(`"${input.service}" answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`"${input.service}" answered something that is not JSON: ${text.slice(0, 200)}`);
  }
  const answer = answerSchema.safeParse(body);
  if (!answer.success) {
    throw new Error(
      `"${input.service}" answered without a valid outcome: ${answer.error.issues[0]?.message ?? ''}`,
    );
  }
  const { outcome, evidence, detail } = answer.data;
  return {
    outcome,
    ...(evidence === undefined ? {} : { evidence }),
    ...(detail === undefined ? {} : { detail }),
  };
}

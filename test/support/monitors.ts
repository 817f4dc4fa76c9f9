// The world protocol monitors are tested in: the two policies the monitor tests publish (a risk
// review every project in build or test must have passed within 30 days; a sponsor every project
// must name), a project's fields as the portfolio stores them, and publishing a policy straight
// into a store, as `charter publish` would, without the API. The monitor benchmark
// (bench/monitor/seed.ts) seeds the same policy in its own domain, so that what it measures is
// what the tests prove.
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import type { ProjectFields, Store } from '../../store/index.js';

export const RISK_REVIEW_MONITOR = 'risk_review_current';
export const SPONSORS_MONITOR = 'sponsors_named';

/** What both policies start with: the PMO as owner, Berlin's office hours, the PMO lead. */
const policyHead = (name: string, version: number, effective: string, domain: string): string =>
  `policy "${name}" version ${version} effective ${effective}
owner "pmo@${domain}"

calendar berlin {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
}

role pmo_lead = person "dana@${domain}"
`;

/**
 * Every Monday 08:00 in Berlin: each project in build or test needs a `risk_review` approved in
 * the last 30 days, its manager has 5 business days, then the PMO lead (dana@`domain`) is added.
 */
export const riskReviewPolicy = (
  name: string,
  { version = 1, domain = 'halden.example' }: { version?: number; domain?: string } = {},
): string => `${policyHead(name, version, '2026-01-01', domain)}
monitor ${RISK_REVIEW_MONITOR} {
  every mon 08:00 on berlin
  where project.phase in ["build", "test"]
  require risk_review.last_approved >= today - 30 days
    else "{project.code} has had no risk review passed in the last 30 days"
  owner project.manager
  within 5 business days
  escalate after 5 business days to pmo_lead
}

process risk_review {
  input { project: text }
  approve review { by pmo_lead }
}
`;

/**
 * Every Monday 08:00 in Berlin: each project names a sponsor, or its manager has 3 business days,
 * reminded every business day, and after 2 the PMO lead (dana@halden.example) is added.
 */
export const sponsorsPolicy = (
  name: string,
): string => `${policyHead(name, 1, '2020-01-01', 'halden.example')}
monitor ${SPONSORS_MONITOR} {
  every mon 08:00 on berlin
  require is_set(project.sponsor)
    else "{project.code} has no sponsor"
  owner project.manager
  within 3 business days
  remind every 1 business day
  escalate after 2 business days to pmo_lead
}
`;

/** A project in `phase` managed by `manager`: no sponsor, budget, dates or tags; on track. */
export const projectFields = (
  phase: string,
  manager: string | null,
  name = `A ${phase} project`,
): ProjectFields => ({
  name,
  phase,
  manager,
  sponsor: null,
  budget: null,
  start: null,
  end: null,
  health: { status: 'green', reason: null },
  tags: [],
});

/** Compiles `text` as the file `file` and publishes it into `store`; a diagnostic fails the set-up. */
export async function publishPolicy(
  store: Store,
  text: string,
  { file, by, at }: { file: string; by: string; at: Date },
): Promise<CompiledPolicy> {
  const out = compileEntry(file, memoryHost({ [file]: text }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  await store.policies.publish({
    compiled: out.compiled,
    sources: [{ path: file, text }],
    publishedBy: by,
    at,
  });
  return out.compiled;
}

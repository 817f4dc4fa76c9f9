// What the contract test's API holds before schemathesis calls it: a fresh database with the demo
// organisation, every shipped policy published, the demo portfolio, capacity, a finding, a change
// request started by a real worker (so that instance, task, audit and report reads answer with
// real content, not only empty pages and 404s) and one token per role.
// Schemathesis generates most ids at random; the answers it checks then are mostly 404s. The
// seeded objects give its "values from earlier responses" something real to reuse.
import { readdirSync, readFileSync } from 'node:fs';
import { compileEntry, memoryHost } from '../../dsl/index.js';
import { isoWeekOf, type PolicySummary, type Role } from '../../store/index.js';
import type { WorldDirectory } from '../../store/directory.js';
import { seedPortfolio } from '../../scripts/demo-portfolio.js';
import type { ApiHarness } from '../support/api.js';

const POLICIES = new URL('../../policies/', import.meta.url);
const DAY_MS = 86_400_000;

/** One person per role, each token holding that role alone, so a read runs with exactly its rights. */
export const ROLE_PEOPLE: Record<Role, string> = {
  author: 'tomas.berg@halden.example',
  requester: 'rita.sommer@halden.example',
  approver: 'henrik.larsen@halden.example',
  auditor: 'simon.frey@halden.example',
  pmo: 'nina.vogel@halden.example',
  admin: 'lea.hofmann@halden.example',
};

export type RoleTokens = Record<Role, string>;

export interface Seeded {
  tokens: RoleTokens;
  /** The started change request's instance id. */
  instanceId: string;
  policies: PolicySummary[];
}

const read = (name: string): string => readFileSync(new URL(name, POLICIES), 'utf8');

/** Every .charter file of policies/ with the shared library, as the compiler's in-memory host. */
function policyFiles(): Record<string, string> {
  const files: Record<string, string> = { 'shared/org.charter': read('shared/org.charter') };
  for (const name of readdirSync(POLICIES)) if (name.endsWith('.charter')) files[name] = read(name);
  return files;
}

/** Publishes each shipped policy straight into the store (the API's own publish is fuzzed later). */
async function publishShippedPolicies(api: ApiHarness): Promise<PolicySummary[]> {
  const files = policyFiles();
  const host = memoryHost(files);
  const published: PolicySummary[] = [];
  for (const entry of Object.keys(files).filter((f) => !f.startsWith('shared/'))) {
    const out = compileEntry(entry, host);
    if (!out.compiled) {
      throw new Error(`${entry}: ${out.diagnostics.map((d) => d.message).join('; ')}`);
    }
    const sources = out.compiled.ir.sources.map((s) => ({ path: s.path, text: files[s.path] ?? '' }));
    const { policy } = await api.store.policies.publish({
      compiled: out.compiled,
      sources,
      publishedBy: ROLE_PEOPLE.author,
      at: new Date(),
    });
    published.push(policy);
  }
  return published;
}

async function seedDirectoryAndCapacity(api: ApiHarness): Promise<void> {
  const world = JSON.parse(read('shared/org.world.json')) as WorldDirectory & {
    capacity?: Record<string, Record<string, number>>;
  };
  await api.store.directory.seedFromWorld({
    groups: world.groups,
    managers: world.managers,
    people: [...world.people, ...Object.values(ROLE_PEOPLE)],
  });
  const weeks = Array.from({ length: 6 }, (_, i) => isoWeekOf(new Date(Date.now() + i * 7 * DAY_MS)));
  for (const [pool, skills] of Object.entries(world.capacity ?? {})) {
    for (const [skill, hours] of Object.entries(skills)) {
      await api.store.capacity.setCapacities(pool, skill, Object.fromEntries(weeks.map((w) => [w, hours])));
    }
  }
  for (const person of Object.values(ROLE_PEOPLE)) await api.store.peopleCapacity.setHours(person, weeks, 40);
}

/** A finding as a protocol monitor run would open it, owned by the requester, waivable by the PMO. */
async function openFinding(api: ApiHarness, policies: PolicySummary[]): Promise<void> {
  const protocol = policies.find((p) => p.name === 'Project protocol');
  if (!protocol) throw new Error('policies/project-protocol.charter was not published');
  const runAt = new Date(Date.now() - DAY_MS);
  await api.store.findings.open({
    policy: { name: protocol.name, version: protocol.version, sha256: protocol.sha256 },
    monitor: 'risk_review_current',
    project: 'PRJ-5120',
    runId: 'contract-run-1',
    runAt,
    day: runAt.toISOString().slice(0, 10),
    message: 'PRJ-5120 has had no risk review passed in the last 30 days',
    why: 'risk_review.last_approved is empty: no risk review was ever approved',
    health: 'amber',
    owners: [ROLE_PEOPLE.requester],
    waivers: [ROLE_PEOPLE.pmo],
    dueAt: new Date(runAt.getTime() + 7 * DAY_MS),
  });
}

/** Starts a change request over HTTP and waits until the worker has opened its first task. */
async function startChangeRequest(api: ApiHarness, requester: string): Promise<string> {
  const started = await api.call<{ instanceId: string }>('POST', '/v1/instances', {
    token: requester,
    body: {
      policy: 'IT change management',
      process: 'change_request',
      input: {
        title: 'Rotate TLS certificates on the intranet proxy',
        project: 'intranet',
        change_type: 'normal',
        risk: 'low',
        budget: '2,000 EUR',
        downtime: '30m',
        requester: ROLE_PEOPLE.requester,
        implementer: 'ben.ortiz@halden.example',
      },
    },
  });
  if (started.status !== 201) throw new Error(`starting a change request: ${started.status} ${started.text}`);
  const { instanceId } = started.body;
  const until = Date.now() + 60_000;
  for (;;) {
    const tasks = await api.call<{ items: unknown[] }>('GET', `/v1/instances/${instanceId}/tasks`, {
      token: requester,
    });
    if (tasks.status === 200 && tasks.body.items.length > 0) return instanceId;
    if (Date.now() > until) throw new Error(`no task of ${instanceId} within 60 s: ${tasks.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function seedContractData(api: ApiHarness): Promise<Seeded> {
  await seedDirectoryAndCapacity(api);
  const policies = await publishShippedPolicies(api);
  await seedPortfolio(api.store, ROLE_PEOPLE.pmo, () => undefined);
  await openFinding(api, policies);
  const entries = await Promise.all(
    (Object.keys(ROLE_PEOPLE) as Role[]).map(
      async (role) => [role, await api.tokenFor(ROLE_PEOPLE[role], [role])] as const,
    ),
  );
  const tokens = Object.fromEntries(entries) as RoleTokens;
  const instanceId = await startChangeRequest(api, tokens.requester);
  return { tokens, instanceId, policies };
}

// The impact of a policy change over real HTTP, with instances that ran on the real runtime (the
// time-skipping server, a Charter worker, the real store): three purchases under v1 ("approve by
// manager") started and approved through the API, then a candidate v2 that adds a director's
// approval above 5,000 replayed against them. Exactly the 6,000 and 9,000 purchases would wait for
// the director; the 1,000 one is unchanged. Also: a candidate that does not compile (422 with a
// location), `last` out of bounds (422 at body.last), and `charter impact` for CI (exit 1, its lines;
// exit 0 for the version in force itself).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runClient } from '../../api/cli/main.js';
import type { TimeSkippingCharter } from '../support/time-skipping.js';
import { compiledText, type TimeSkippingApi, useTimeSkippingApi } from '../support/time-skipping-api.js';
import { until } from '../support/until.js';

const NAME = 'Impact purchase';
const policy = (version: number, more = '') => `policy "${NAME}" version ${version} effective 2026-01-01
owner "pmo@example.com"
role directors = group "directors"

process purchase {
  input {
    requester: person
    amount: number
  }
  approve manager_review {
    by manager of request.requester
    within 3d
  }
${more}
  end approved "bought"
}
`;
const DIRECTOR_ABOVE_5000 = `  if request.amount > 5000 {
    approve director_review {
      by directors
      within 2d
    }
  }`;

const RITA = 'rita@example.com';
const MARK = 'mark@example.com';
const DORA = 'dora@example.com';
const PETRA = 'petra@example.com';

interface Impact {
  summary: Record<string, unknown>;
  instances: {
    instanceId: string;
    verdict: string;
    recordedStatus: string;
    candidate: { status: string; waitingFor: { step: string; people: string[]; text: string }[] } | null;
    differences: { kind: string; text: string }[];
    replayDiffersFromRecord: unknown[];
  }[];
}
interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string }[]; diagnostics?: { line: number }[] };
}

describe('the impact of a candidate version on past instances', () => {
  const started = useTimeSkippingApi(import.meta.url, {
    groups: { directors: [DORA] },
    managers: { [RITA]: MARK },
    people: [PETRA],
  });
  let charter: TimeSkippingCharter;
  let api: TimeSkippingApi;
  let scratch: string;
  /** Instance ids by amount. */
  const byAmount = new Map<number, string>();

  beforeAll(async () => {
    charter = started.charter();
    api = started.api();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'charter-impact-'));
    const now = new Date(await charter.env.currentTimeMs());
    await charter.store.policies.publish({
      compiled: compiledText('purchase.charter', policy(1)),
      sources: [{ path: 'purchase.charter', text: policy(1) }],
      publishedBy: PETRA,
      at: now,
    });
    await charter.worker.runUntil(async () => {
      for (const amount of [1000, 6000, 9000]) {
        const start = await api.post(
          RITA,
          '/instances',
          { policy: NAME, process: 'purchase', input: { requester: RITA, amount } },
          ['requester'],
        );
        expect(start.status).toBe(201);
        const { instanceId } = start.body as { instanceId: string };
        byAmount.set(amount, instanceId);
        const inbox = await until(
          `the manager's task of ${amount}`,
          async () =>
            (await api.get(MARK, '/tasks/inbox', ['approver'])).body as {
              items: { id: string; instanceId: string }[];
            },
          (page) => page.items.some((t) => t.instanceId === instanceId),
        );
        const task = inbox.items.find((t) => t.instanceId === instanceId)?.id ?? '';
        const decided = await api.post(MARK, `/tasks/${encodeURIComponent(task)}/decide`, {
          decision: 'approve',
        });
        expect(decided.status).toBe(200);
        await until(
          `purchase ${amount} approved`,
          () => charter.store.views.get(instanceId),
          (view) => view?.status === 'approved',
        );
      }
    });
  }, 180_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const impact = (body: unknown) =>
    api.post(PETRA, `/policies/${encodeURIComponent(NAME)}/impact`, body, ['pmo']);

  test('when v2 asks a director above 5,000, then exactly the 6,000 and 9,000 purchases would wait for her', async () => {
    const answer = await impact({
      files: { 'purchase.charter': policy(2, DIRECTOR_ABOVE_5000) },
      entry: 'purchase.charter',
    });
    expect(answer.status).toBe(200);
    const body = answer.body as Impact;
    expect(body.summary).toEqual({
      instances: 3,
      same: 1,
      differs: 0,
      wouldWait: 2,
      notReplayed: 0,
      replayDiffersFromRecord: 0,
      notReplayedReasons: {},
    });
    // Newest first: the 9,000 purchase was started last.
    expect(body.instances.map((i) => [i.instanceId, i.verdict, i.recordedStatus])).toEqual([
      [byAmount.get(9000), 'wouldWait', 'approved'],
      [byAmount.get(6000), 'wouldWait', 'approved'],
      [byAmount.get(1000), 'same', 'approved'],
    ]);
    for (const waiting of body.instances.slice(0, 2)) {
      expect(waiting.candidate).toMatchObject({
        status: 'running',
        waitingFor: [
          { step: 'director_review', people: [DORA], text: `would wait for ${DORA} at director_review` },
        ],
      });
      expect(waiting.differences.map((d) => d.text)).toEqual(
        expect.arrayContaining(['outcome approved → running', `director_review: also asks ${DORA}`]),
      );
    }
    expect(body.instances[2]?.differences).toEqual([]);
    // The replay of v1 reproduces what the runtime recorded.
    expect(body.instances.every((i) => i.replayDiffersFromRecord.length === 0)).toBe(true);
  });

  test('when the candidate does not compile, then 422 invalid-policy with its location', async () => {
    const broken = policy(2).replace('within 3d', 'within three days');
    const answer = await impact({ source: broken });
    expect(answer.status).toBe(422);
    const { error } = answer.body as ErrorAnswer;
    expect(error.code).toBe('invalid-policy');
    expect(error.message).toMatch(/^policy\.charter:\d+:\d+: /);
    expect(error.diagnostics?.[0]?.line).toBe(12);
  });

  test('when `last` is out of bounds or the upload names another policy, then 422 with the field path', async () => {
    for (const last of [0, 2001, 1.5]) {
      const answer = await impact({ source: policy(2), last });
      expect(answer.status).toBe(422);
      expect((answer.body as ErrorAnswer).error.problems?.map((p) => p.path)).toEqual(['body.last']);
    }
    const other = await impact({ source: policy(2).replace(NAME, 'Someone else') });
    expect(other.status).toBe(422);
    expect((other.body as ErrorAnswer).error.problems?.map((p) => p.path)).toEqual(['body.source']);
    const requester = await api.post(
      RITA,
      `/policies/${encodeURIComponent(NAME)}/impact`,
      { source: policy(2) },
      ['requester'],
    );
    expect(requester.status).toBe(403);
  });

  test('when `charter impact` finds differences, then it prints them and exits 1; for v1 itself it exits 0', async () => {
    const token = await api.token(PETRA, ['pmo']);
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runClient(argv, {
        out: (text) => (out += text),
        err: (text) => (err += text),
        env: { CHARTER_API: api.origin, CHARTER_TOKEN: token },
      });
      return { code, out, err };
    };
    const v2 = path.join(scratch, 'v2.charter');
    writeFileSync(v2, policy(2, DIRECTOR_ABOVE_5000));
    const changed = await run('impact', v2, '--last', '10');
    expect(changed.err).toBe('');
    expect(changed.code).toBe(1);
    const lines = changed.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`impact of ${NAME} v2 against v1: 3 finished instances replayed (last 10 asked)`);
    expect(lines[1]).toBe('  same 1, differs 0, would wait 2, not replayed 0');
    const small = lines.find((l) => l.startsWith(`${byAmount.get(1000)} `));
    expect(small).toMatch(/ \(approved \d{4}-\d{2}-\d{2}\): same$/);
    expect(lines.filter((l) => l.endsWith(`: would wait for ${DORA} at director_review`))).toHaveLength(2);
    expect(lines).toContain('  outcome approved → running');

    const v1 = path.join(scratch, 'v1.charter');
    writeFileSync(v1, policy(1));
    const same = await run('impact', v1, '--format', 'json');
    expect(same.code).toBe(0);
    expect((JSON.parse(same.out) as Impact).summary).toMatchObject({ instances: 3, same: 3 });

    const usage = await run('impact', v1, '--last', 'many');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--last takes a whole number from 1 to 2000, not many');
  });
});

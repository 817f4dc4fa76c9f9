// `charter retire`, run in-process (as scripts/charter.js runs it) against the real API over HTTP
// with real servers: a version and then the whole policy retired, what it prints (and the API's
// answer with --format json), retiring again as "unchanged", the refusals it passes on (role,
// unknown version) with exit 1, usage errors with exit 2 before any request, and `charter start`
// refused under the retired policy with who, when and why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runClient } from '../../api/cli/main.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

const NAME = 'CLI retire purchase';
const policy = (version: number) => `policy "${NAME}" version ${version} effective 2026-01-01
process purchase {
  input {
    item: text
  }
  end approved "{request.item} approved"
}
`;
const PETRA = 'petra.holm@halden.example';

let api: ApiHarness;
let scratch: string;

const charter = async (token: string | null, ...argv: string[]): Promise<Run> => {
  let out = '';
  let err = '';
  const code = await runClient(argv, {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: { CHARTER_API: api.base, ...(token === null ? {} : { CHARTER_TOKEN: token }) },
  });
  return { code, out, err };
};

beforeAll(async () => {
  api = await startApiHarness(import.meta.url, { worker: false });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'charter-cli-retire-'));
  await api.publish(policy(1), 'v1.charter');
  await api.publish(policy(2), 'v2.charter');
}, 90_000);

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await api?.close();
});

describe('charter retire', () => {
  let pmo: string;

  beforeAll(async () => {
    pmo = await api.tokenFor(PETRA, ['pmo']);
  });

  test('usage errors exit 2 without calling the API', async () => {
    const noReason = await charter(null, 'retire', NAME, '--version', '2');
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('retire needs --reason');
    const badVersion = await charter(null, 'retire', NAME, '--version', 'two', '--reason', 'x');
    expect(badVersion.code).toBe(2);
    expect(badVersion.err).toContain('--version takes a version number such as 3, not two');
    const noPolicy = await charter(null, 'retire', '--reason', 'x');
    expect(noPolicy.code).toBe(2);
    expect(noPolicy.err).toContain('retire takes 1 argument, got: none');
    expect(await api.store.policyRetirements.of(NAME)).toEqual([]);
  });

  test('a role the route does not allow, or a version nobody published: exit 1 with the API code', async () => {
    const requester = await api.tokenFor('rita.sommer@halden.example', ['requester']);
    const forbidden = await charter(requester, 'retire', NAME, '--version', '2', '--reason', 'mine now');
    expect(forbidden.code).toBe(1);
    expect(forbidden.err).toMatch(
      /^charter: forbidden \(HTTP 403\): POST \/v1\/policies\/.+\/retire needs one of the roles/,
    );
    const unknown = await charter(pmo, 'retire', NAME, '--version', '9', '--reason', 'typo');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(`charter: not-found (HTTP 404): policy "${NAME}" version 9 was not found`);
  });

  test('retiring a version prints who, when and why; again, it is unchanged; --format json is the answer', async () => {
    const run = await charter(pmo, 'retire', NAME, '--version', '2', '--reason', 'wrong approvers in v2');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const day = new Date().toISOString().slice(0, 10);
    expect(run.out).toBe(
      `retired ${NAME} v2\n` +
        `  on ${day} by ${PETRA}: wrong approvers in v2\n` +
        '  new instances start under the newest effective version not retired; running ones finish on theirs\n',
    );

    const again = await charter(
      pmo,
      'retire',
      NAME,
      '--version',
      '2',
      '--reason',
      'said again',
      '--format',
      'json',
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual({
      status: 'unchanged',
      retirement: {
        name: NAME,
        version: 2,
        reason: 'wrong approvers in v2',
        by: PETRA,
        at: expect.any(String) as string,
      },
    });
  });

  test('retiring the whole policy refuses `charter start` with who, when and why at body.policy', async () => {
    const requester = await api.tokenFor('rita.sommer@halden.example', ['requester']);
    const run = await charter(pmo, 'retire', NAME, '--reason', 'replaced by the purchasing policy');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`^retired ${NAME} \\(every version\\)\n`));

    const input = path.join(scratch, 'input.json');
    writeFileSync(input, JSON.stringify({ item: 'a chair' }));
    const started = await charter(requester, 'start', NAME, 'purchase', '--input', input);
    const day = new Date().toISOString().slice(0, 10);
    const why = `policy "${NAME}" was retired on ${day} by ${PETRA}: replaced by the purchasing policy`;
    expect(started.code).toBe(1);
    expect(started.err).toContain(`charter: policy-retired (HTTP 409): ${why}\n  body.policy: ${why}\n`);
  });
});

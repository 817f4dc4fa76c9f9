// Comparing published versions over real HTTP with the real store: two versions published by an
// author through POST /v1/policies (the policy file renamed between them, a library edited, a
// library added), then GET /v1/policies/:name/diff shows the process changes (a raised quorum, a
// longer deadline, a new step, a retyped input), the header and role changes, and each source
// line by line with line numbers. A version against itself shows nothing; reversed, additions
// become removals; a version nobody published is a 404 at its field path; a requester is refused.
import { startApiHarness, type ApiHarness } from '../support/api.js';

const NAME = 'Diff stage gate';
const roles = (members: string) => `library "Diff roles"\nrole cab = ${members}\n`;
const entry = (
  version: number,
  effective: string,
  body: string,
) => `policy "${NAME}" version ${version} effective ${effective}
owner "pmo@halden.example"
use "shared/roles.charter"

process gate {
  input {
    title: text
    budget: number
  }
${body}
  end approved "{request.title} passed"
}
`;

const V1 = {
  entry: 'gate.charter',
  files: {
    'gate.charter': entry(
      1,
      '2026-01-01',
      `  approve cab_review {
    by cab
    any
    within 2 days
    on timeout reject
  }`,
    ),
    'shared/roles.charter': roles('person "ana@halden.example", person "ben@halden.example"'),
  },
};

const V2 = {
  entry: 'gate-v2.charter',
  files: {
    'gate-v2.charter': entry(
      2,
      '2026-03-01',
      `  approve cab_review {
    by cab
    at least 2
    within 3 days
    on timeout reject
  }
  notify told: person "pmo@halden.example": "{request.title} needs a slot"`,
    ).replace('budget: number', 'budget: money EUR'),
    'shared/roles.charter': roles(
      'person "ana@halden.example", person "ben@halden.example", person "cleo@halden.example"',
    ),
  },
};

interface ErrorAnswer {
  error: { code: string; message: string; problems?: { path: string; message: string }[] };
}
interface Line {
  kind: 'same' | 'added' | 'removed';
  text: string;
  from: number | null;
  to: number | null;
}
interface DiffAnswer {
  name: string;
  same: boolean;
  from: { version: number; effective: string; publishedBy: string; retired: unknown };
  to: { version: number; effective: string };
  definitions: { kind: string; name: string; status: string; before: string | null; after: string | null }[];
  processes: {
    name: string;
    status: string;
    inputs: { field: string; change: string; before: string | null; after: string | null }[];
    addedSteps: { step: string; kind: string; summary: string }[];
    removedSteps: { step: string; kind: string; summary: string }[];
    changes: { step: string; kind: string; before: string; after: string }[];
  }[];
  sources: {
    path: string;
    fromPath: string | null;
    status: string;
    fromLineCount: number;
    toLineCount: number;
    hunks: { fromStart: number; fromLines: number; toStart: number; toLines: number; lines: Line[] }[];
  }[];
}

describe('GET /v1/policies/:name/diff', () => {
  let api: ApiHarness;
  let author: string;
  const diff = (from: number | string, to: number | string, token = author) =>
    api.call<DiffAnswer & ErrorAnswer>(
      'GET',
      `/v1/policies/${encodeURIComponent(NAME)}/diff?from=${from}&to=${to}`,
      {
        token,
      },
    );

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    author = await api.tokenFor('tomas.berg@halden.example', ['author']);
    for (const body of [V1, V2]) {
      const published = await api.call('POST', '/v1/policies', { token: author, body });
      expect(published.status).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  test('when v1 and v2 are compared, then the process changes are listed step by step with before and after', async () => {
    const answer = await diff(1, 2);
    expect(answer.status).toBe(200);
    const { body } = answer;
    expect(body).toMatchObject({
      name: NAME,
      same: false,
      from: { version: 1, effective: '2026-01-01', publishedBy: 'tomas.berg@halden.example', retired: null },
      to: { version: 2, effective: '2026-03-01' },
    });
    expect(body.processes).toEqual([
      {
        name: 'gate',
        status: 'changed',
        inputs: [{ field: 'budget', change: 'retyped', before: 'number', after: 'money EUR' }],
        addedSteps: [
          {
            step: 'told',
            kind: 'notify',
            summary: 'notify person "pmo@halden.example": "{request.title} needs a slot"',
          },
        ],
        removedSteps: [],
        changes: [
          { step: 'cab_review', kind: 'quorum', before: 'any 1 of cab', after: 'at least 2 of cab' },
          { step: 'cab_review', kind: 'deadline', before: '2 days', after: '3 days' },
        ],
      },
    ]);
    expect(body.definitions).toEqual([
      { kind: 'policy', name: 'effective', status: 'changed', before: '2026-01-01', after: '2026-03-01' },
      {
        kind: 'role',
        name: 'cab',
        status: 'changed',
        before: 'person "ana@halden.example", person "ben@halden.example"',
        after: 'person "ana@halden.example", person "ben@halden.example", person "cleo@halden.example"',
      },
    ]);
  });

  test('when the policy file was renamed and a library edited, then each source has its line diff with line numbers', async () => {
    const { body } = await diff(1, 2);
    expect(body.sources.map((s) => [s.path, s.fromPath, s.status])).toEqual([
      ['gate-v2.charter', 'gate.charter', 'changed'],
      ['shared/roles.charter', 'shared/roles.charter', 'changed'],
    ]);
    const [policyFile, library] = body.sources;
    const changed = policyFile!.hunks.flatMap((h) => h.lines).filter((l) => l.kind !== 'same');
    expect(changed).toContainEqual({ kind: 'removed', text: '    any', from: 12, to: null });
    expect(changed).toContainEqual({ kind: 'added', text: '    at least 2', from: null, to: 12 });
    expect(changed).toContainEqual({
      kind: 'added',
      text: '  notify told: person "pmo@halden.example": "{request.title} needs a slot"',
      from: null,
      to: 16,
    });
    expect(library!.hunks).toEqual([
      {
        fromStart: 1,
        fromLines: 2,
        toStart: 1,
        toLines: 2,
        lines: [
          { kind: 'same', text: 'library "Diff roles"', from: 1, to: 1 },
          {
            kind: 'removed',
            text: 'role cab = person "ana@halden.example", person "ben@halden.example"',
            from: 2,
            to: null,
          },
          {
            kind: 'added',
            text: 'role cab = person "ana@halden.example", person "ben@halden.example", person "cleo@halden.example"',
            from: null,
            to: 2,
          },
        ],
      },
    ]);
    expect([library!.fromLineCount, library!.toLineCount]).toEqual([2, 2]);
  });

  test('when a version is compared with itself, then nothing changed; reversed, then additions become removals', async () => {
    const same = await diff(2, 2);
    expect(same.status).toBe(200);
    expect(same.body.same).toBe(true);
    expect(same.body.definitions).toEqual([]);
    expect(same.body.processes.map((p) => p.status)).toEqual(['same']);
    expect(same.body.sources.map((s) => [s.status, s.hunks.length])).toEqual([
      ['same', 0],
      ['same', 0],
    ]);
    const back = await diff(2, 1);
    expect(back.body.processes[0]?.removedSteps.map((s) => s.step)).toEqual(['told']);
    expect(back.body.processes[0]?.changes[0]).toMatchObject({
      before: 'at least 2 of cab',
      after: 'any 1 of cab',
    });
  });

  test('when a version was never published, then 404 names the field; bad or missing numbers are 422 at their field', async () => {
    const missing = await diff(1, 7);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not-found');
    expect(missing.body.error.problems).toEqual([
      { path: 'query.to', message: `policy "${NAME}" version 7 was not found` },
    ]);
    const both = await api.call<ErrorAnswer>('GET', '/v1/policies/No%20such%20policy/diff?from=1&to=2', {
      token: author,
    });
    expect(both.status).toBe(404);
    expect(both.body.error.problems?.map((p) => p.path)).toEqual(['query.from', 'query.to']);
    const bad = await diff('one', 2);
    expect(bad.status).toBe(422);
    expect(bad.body.error.problems?.map((p) => p.path)).toEqual(['query.from']);
    const absent = await api.call<ErrorAnswer>(
      'GET',
      `/v1/policies/${encodeURIComponent(NAME)}/diff?from=1`,
      {
        token: author,
      },
    );
    expect(absent.status).toBe(422);
    expect(absent.body.error.problems?.map((p) => p.path)).toEqual(['query.to']);
  });

  test('when a requester or an approver asks, then 403; the PMO and auditors may compare', async () => {
    for (const role of ['requester', 'approver'] as const) {
      const token = await api.tokenFor(`diff-${role}@halden.example`, [role]);
      const answer = await diff(1, 2, token);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    }
    for (const role of ['pmo', 'auditor', 'admin'] as const) {
      const token = await api.tokenFor(`diff-${role}@halden.example`, [role]);
      expect((await diff(1, 2, token)).status).toBe(200);
    }
  });
});

// Instances per policy version in the catalogue (issue 18) over real HTTP on a real store: chains
// of two versions of one policy appended to the ledger, the tree grown by the signer's own code and
// the ledger folded by the dashboard projector; `GET /v1/policies` then gives each version the
// instances it started, how many ended and how, and how many still run, with the moment they were
// counted. Counted again only by the projector: an instance appended after the fold shows once the
// next fold has run, and a fold run twice counts nothing twice. A version nobody used shows zeros.
import type { Fact } from '../../engine/facts/index.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { chain, ended, NOW, started } from './fixtures/dashboard-ledger.js';

const NAME = 'catalogue-counts';
const source = (version: number) => `policy "${NAME}" version ${version} effective 2026-01-01
owner "pmo@halden.example"
role cab = group "cab"
process change {
  input {
    title: text
  }
  approve review {
    by cab
  }
}
`;

interface Listed {
  items: {
    name: string;
    version: number;
    instances: { started: number; running: number; approved: number; rejected: number; cancelled: number };
  }[];
  instancesCountedAt: string | null;
}

const ref = (version: number, sha256: string) => ({ name: NAME, version, sha256 });
const run = (id: string, policy: { name: string; version: number; sha256: string }, end: Fact | null) =>
  chain(
    id,
    policy,
    'erp',
    '2026-05-05T09:00:00Z',
    end === null
      ? [[0, started]]
      : [
          [0, started],
          [60, end],
        ],
  );

describe('instances per policy version', () => {
  let api: ApiHarness;
  let token: string;
  const shas: string[] = [];

  const listed = async () => {
    const answer = await api.call<Listed>('GET', '/v1/policies?limit=500', { token });
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const countsOf = (body: Listed, version: number) =>
    body.items.find((i) => i.name === NAME && i.version === version)?.instances;
  const fold = async (at: Date) => {
    await growAndSign(api.store, null, () => at);
    await api.store.dashboards.foldAll(() => at);
  };

  beforeAll(async () => {
    api = await startApiHarness(import.meta.url, { worker: false });
    token = await api.tokenFor('pia.pmo@halden.example', ['pmo']);
    for (const version of [1, 2, 3]) {
      shas.push(await api.publish(source(version), 'p.charter'));
    }
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  test('when nothing was folded yet, then every version shows zeros and no count time', async () => {
    const body = await listed();
    expect(body.instancesCountedAt).toBeNull();
    expect(countsOf(body, 1)).toEqual({ started: 0, running: 0, approved: 0, rejected: 0, cancelled: 0 });
  });

  test('when the ledger is folded, then each version has its own instances, ended and running', async () => {
    const v1 = ref(1, shas[0]!);
    const v2 = ref(2, shas[1]!);
    for (const events of [
      run('v1-a', v1, ended('approved')),
      run('v1-b', v1, ended('approved')),
      run('v1-c', v1, ended('rejected')),
      run('v1-d', v1, null),
      run('v2-a', v2, ended('cancelled')),
      run('v2-b', v2, null),
    ])
      await api.store.audit.append(events);
    await fold(NOW);
    const body = await listed();
    expect(body.instancesCountedAt).toBe(NOW.toISOString());
    expect(countsOf(body, 1)).toEqual({ started: 4, running: 1, approved: 2, rejected: 1, cancelled: 0 });
    expect(countsOf(body, 2)).toEqual({ started: 2, running: 1, approved: 0, rejected: 0, cancelled: 1 });
    expect(countsOf(body, 3)).toEqual({ started: 0, running: 0, approved: 0, rejected: 0, cancelled: 0 });

    // Appended after the fold: not counted until the next fold, and then once.
    await api.store.audit.append(run('v2-c', v2, ended('approved')));
    expect(countsOf(await listed(), 2)?.started).toBe(2);
    const later = new Date(NOW.getTime() + 60_000);
    await fold(later);
    await fold(later);
    const after = await listed();
    expect(after.instancesCountedAt).toBe(later.toISOString());
    expect(countsOf(after, 2)).toEqual({ started: 3, running: 1, approved: 1, rejected: 0, cancelled: 1 });
    expect(countsOf(after, 1)?.started).toBe(4);
  });
});

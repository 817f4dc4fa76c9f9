// `charter roles show|set`, run in-process (as scripts/charter.js runs it) against the real API over
// HTTP: an admin grants and shows roles, taking one away prints the tokens it revoked, a second
// identical set says nothing changed; a wrong role comes back with the API's field path (exit 1),
// a missing list or a list with --none is a usage error (exit 2) before any request; and the
// help names both commands.
import { runClient } from '../../api/cli/main.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';

const ADMIN = 'cli.roles.admin@halden.example';
const PAT = 'cli.roles.pat@halden.example';

let api: ApiHarness;
let admin: string;

const charter = async (token: string, ...argv: string[]) => {
  let out = '';
  let err = '';
  const code = await runClient(argv, {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: { CHARTER_API: api.base, CHARTER_TOKEN: token },
  });
  return { code, out, err };
};

beforeAll(async () => {
  api = await startApiHarness(import.meta.url, { worker: false });
  admin = await api.tokenFor(ADMIN, ['admin']);
  await api.store.directory.seedFromWorld({ groups: {}, managers: {}, people: [PAT] });
}, 90_000);

afterAll(async () => {
  await api?.close();
});

test('when an admin sets, shows and narrows Pat’s roles, then each step prints what it did', async () => {
  const set = await charter(admin, 'roles', 'set', PAT, 'approver', 'pmo');
  const again = await charter(admin, 'roles', 'set', PAT, 'pmo', 'approver');
  const shown = await charter(admin, 'roles', 'show', PAT);
  const pmoToken = await api.tokenFor(PAT, ['pmo']);
  const narrowed = await charter(admin, 'roles', 'set', PAT, 'approver');
  const json = await charter(admin, 'roles', 'show', PAT, '--format', 'json');

  expect(set).toEqual({ code: 0, out: `${PAT} now has approver, pmo\n`, err: '' });
  expect(again.out).toBe(`${PAT} already has approver, pmo: nothing changed\n`);
  expect(shown.out).toMatch(new RegExp(`^${PAT}: approver, pmo \\(set by ${ADMIN} at \\d{4}-`));
  expect(narrowed.out).toMatch(new RegExp(`^${PAT} now has approver; revoked tokens [0-9a-f]{16}\\n$`));
  expect((await api.call('GET', '/v1/me', { token: pmoToken })).status).toBe(401);
  expect(JSON.parse(json.out)).toMatchObject({ person: PAT, roles: ['approver'], updatedBy: ADMIN });
});

test('when the roles are wrong or missing, then the API names the field, or the usage is refused first', async () => {
  const wrong = await charter(admin, 'roles', 'set', PAT, 'approver', 'boss');
  const none = await charter(admin, 'roles', 'set', PAT);
  const both = await charter(admin, 'roles', 'set', PAT, 'approver', '--none');
  const cleared = await charter(admin, 'roles', 'set', PAT, '--none');
  const help = await charter(admin, 'roles', '--help');

  expect(wrong.code).toBe(1);
  expect(wrong.err).toMatch(/body\.roles\.1/);
  expect([none.code, both.code]).toEqual([2, 2]);
  expect(none.err).toMatch(/needs the roles the person is to have, or --none/);
  expect(both.err).toMatch(/give roles or --none, not both/);
  expect(cleared.out).toBe(`${PAT} now has no roles\n`);
  expect(help.out).toMatch(/roles show <person>/);
  expect(help.out).toMatch(/roles set <person> <role>/);
});

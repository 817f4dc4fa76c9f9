// The rules of single sign-on, as pure units: which person a provider's claims name, which roles
// their groups map to, that no roles at all is a refusal rather than an empty session, and which
// return paths stay on the console.
import {
  groupsOf,
  mappedRoles,
  personIdOf,
  safeReturnPath,
  sessionRoles,
  SignInRefused,
} from '../../api/oidc/sign-in.js';
import type { Role } from '../../store/index.js';

const email = { personClaim: 'email' };
const refusal = (run: () => unknown): string => {
  try {
    run();
    return 'no refusal';
  } catch (error) {
    if (error instanceof SignInRefused) return error.code;
    throw error;
  }
};

describe('the person a sign-in names', () => {
  test('when the e-mail is verified or not said, then it is the person id, trimmed and lower-cased', () => {
    expect(personIdOf({ email: ' Pat@Halden.example ', email_verified: true }, email)).toBe(
      'pat@halden.example',
    );
    expect(personIdOf({ email: 'pat@halden.example' }, email)).toBe('pat@halden.example');
  });

  test('when the provider says the e-mail is unverified, or the claim is missing, then the sign-in is refused', () => {
    expect(refusal(() => personIdOf({ email: 'pat@halden.example', email_verified: false }, email))).toBe(
      'unverified',
    );
    expect(refusal(() => personIdOf({ email: 'pat@halden.example', email_verified: 'false' }, email))).toBe(
      'unverified',
    );
    expect(refusal(() => personIdOf({ sub: 'x' }, email))).toBe('unknown-person');
    expect(refusal(() => personIdOf({ email: ['a@b.c'] }, email))).toBe('unknown-person');
  });

  test('when another claim names the person, then email_verified does not matter', () => {
    expect(personIdOf({ upn: 'Pat@Halden.example', email_verified: false }, { personClaim: 'upn' })).toBe(
      'pat@halden.example',
    );
  });
});

describe('roles', () => {
  const groupRoles = new Map<string, Role[]>([
    ['pmo-staff', ['pmo']],
    ['cab', ['approver', 'auditor']],
  ]);

  test('when groups are mapped, then each gives its roles once, in the fixed order; unmapped ones give none', () => {
    const groups = groupsOf({ groups: ['cab', 'cafe', 'pmo-staff', 'cab', 7] }, { groupsClaim: 'groups' });

    expect(mappedRoles(groups, { groupRoles })).toEqual(['approver', 'auditor', 'pmo']);
    expect(groupsOf({ roles: 'cab pmo-staff' }, { groupsClaim: 'roles' })).toEqual(['cab', 'pmo-staff']);
    expect(groupsOf({}, { groupsClaim: 'groups' })).toEqual([]);
  });

  test('when mapped and granted roles meet, then the session has both; with none at all, it is refused', () => {
    expect(sessionRoles('p', ['pmo'], ['approver', 'pmo'])).toEqual(['approver', 'pmo']);
    expect(refusal(() => sessionRoles('p', [], []))).toBe('no-roles');
  });
});

describe('return paths', () => {
  test.each(['/', '/inbox', '/instances/purchase-1?tab=timeline', '/people/pat%40halden.example'])(
    'when %s, then it is kept',
    (path) => {
      expect(safeReturnPath(path)).toBe(path);
    },
  );

  test.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/',
    'inbox',
    '/v1/tokens',
    '/v1',
    '/a b',
    '/a\tb',
  ])('when %s, then it is refused', (path) => {
    expect(safeReturnPath(path)).toBeNull();
  });
});

// The studio's problems take their one-click fix from the diagnostic's `fix`, for the checker in
// the page and for the server's answer alike; the help's wording plays no part (issue 18).
import { checkDraft, fromServer, type DiagnosticJson } from '../../../web/src/pages/studio/problems.js';

const ENTRY = 'policy.charter';

const policy = (role: string): string =>
  [
    'policy "p" version 1 effective 2026-01-01',
    'owner "pmo@example.com"',
    'role cab = group "cab"',
    'process p {',
    `  notify ${role}: "hello"`,
    '}',
    '',
  ].join('\n');

const server = (d: Partial<DiagnosticJson>): DiagnosticJson => ({
  file: ENTRY,
  line: 5,
  col: 10,
  endLine: 5,
  endCol: 13,
  code: 'CH3201',
  severity: 'error',
  message: 'unknown role `cba`',
  ...d,
});

describe('studio problems', () => {
  test('when the checker finds a misspelt role, then the problem offers its fix over the name', () => {
    const text = policy('cba');
    const { problems } = checkDraft({ entry: ENTRY, files: { [ENTRY]: text } });

    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ code: 'CH3201', fix: 'cab', source: 'checker' });
    expect(text.slice(problem?.from, problem?.to)).toBe('cba');
  });

  test('when the server sends a fix, then the problem offers it', () => {
    const [problem] = fromServer([server({ help: 'did you mean `cab`', fix: { replacement: 'cab' } })], {
      [ENTRY]: policy('cba'),
    });

    expect(problem).toMatchObject({ fix: 'cab', help: 'did you mean `cab`', source: 'server' });
  });

  test('when a help says "did you mean" but the diagnostic has no fix, then no fix is offered', () => {
    const [problem] = fromServer([server({ help: 'did you mean `cab`' })], { [ENTRY]: policy('cba') });

    expect(problem?.fix).toBeNull();
  });

  test('when a fix would write what is already there, then no fix is offered', () => {
    const [problem] = fromServer([server({ fix: { replacement: 'cab' } })], { [ENTRY]: policy('cab') });

    expect(problem?.fix).toBeNull();
  });
});

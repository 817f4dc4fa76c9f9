// Comparing two versions of a policy on the Policies screen, in Chromium against the API on real
// servers. v2 raises the CAB quorum and adds a step; a PMO officer follows the card's link with
// the keyboard and sees the quorum change under its step with its words before and after, the new
// step marked as added, and the source lines marked + and − with their numbers and the unchanged
// lines between them collapsed; then picks the two versions the other way round. A version that
// does not exist shows the API's sentence and field path. Desktop and phone pass axe and fit
// without sideways scrolling.
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const NAME = 'Diff screen gate';
const PETRA = 'petra.holm@halden.example';

const version = (
  n: number,
  quorum: string,
  extra: string,
) => `policy "${NAME}" version ${n} effective 2026-0${n}-01
owner "pmo@halden.example"
role cab = person "ana@halden.example", person "ben@halden.example", person "cleo@halden.example"

process gate {
  input {
    title: text
    budget: number
  }

  check titled:
    require length(request.title) >= 5
    else "give the request a title"

  # Twenty lines of notes, unchanged between the versions, so that the diff collapses them.
${Array.from({ length: 20 }, (_, i) => `  # note ${i + 1}: the CAB meets on Tuesdays`).join('\n')}

  approve cab_review {
    by cab
    ${quorum}
    within 2 days
    on timeout reject
  }
${extra}
  end approved "{request.title} passed"
}
`;

const V1 = version(1, 'any', '');
const V2 = version(
  2,
  'at least 2',
  '  notify told: person "pmo@halden.example": "{request.title} passed the CAB"\n',
);

describe('comparing policy versions', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url, { worker: false });
    await h.api.publish(V1, 'gate-v1.charter');
    await h.api.publish(V2, 'gate-v2.charter');
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  test('when a PMO officer compares v1 with v2, then the raised quorum, the new step and the changed lines show; on a desktop and a phone', async () => {
    const page = await h.signIn(PETRA, ['pmo'], DESKTOP);
    await page.goto('/policies');
    // The keyboard alone: the card's link to what the newest version changed.
    const link = page.getByRole('link', { name: `What changed from version 1 to 2 of ${NAME}` });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `${NAME}: version 1 → version 2` }).waitFor();
    expect(new URL(page.url()).search).toBe(
      `?compare=${encodeURIComponent(NAME).replace(/%20/g, '+')}&from=1&to=2`,
    );
    const picker = page.getByRole('form', { name: `Compare versions of ${NAME}` });
    expect(await picker.getByLabel('From').inputValue()).toBe('1');
    expect(await picker.getByLabel('To').inputValue()).toBe('2');

    const process = page.getByRole('region', { name: 'Process gate: Changed' });
    await process.waitFor();
    // The CAB step's heading groups its changes: the quorum, and nothing else of the step.
    const cab = process
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /cab_review/ }) });
    const changes = cab.getByRole('listitem');
    expect(await changes.count()).toBe(1);
    expect(await changes.innerText()).toMatch(/Quorum\s+Before: any 1 of cab\s+After: at least 2 of cab/);
    const added = process.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /told/ }) });
    expect(await added.innerText()).toContain('Added');
    expect(await added.innerText()).toContain('notify person "pmo@halden.example"');
    const source = page.getByRole('region', { name: 'gate-v2.charter (changed)' });
    expect(await source.innerText()).toContain('Called gate-v1.charter in the older version.');
    const lines = source.getByRole('region', { name: 'Lines of gate-v2.charter' });
    const removed = lines.getByRole('row').filter({ hasText: 'removed' }).filter({ hasText: '    any' });
    expect((await removed.innerText()).replace(/\s+/g, ' ').trim()).toMatch(/^\d+ −\s?removed any$/);
    const addedLine = lines.getByRole('row').filter({ hasText: 'notify told' });
    expect(await addedLine.innerText()).toMatch(/^\s*\d+\s+\+\s*added/);
    expect(
      await lines
        .getByRole('row')
        .filter({ hasText: /unchanged lines? not shown/ })
        .count(),
    ).toBeGreaterThan(0);
    // The lines scroll inside their own box, which takes focus for keyboard scrolling.
    await lines.focus();
    expect(await lines.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await screenProblems(page, 'policy-diff-desktop')).toEqual([]);

    // Any two versions: the other way round, chosen in the picker; the new step is then removed.
    await picker.getByLabel('From').selectOption('2');
    await picker.getByLabel('To').selectOption('1');
    await picker.getByRole('button', { name: `Compare versions of ${NAME}` }).click();
    await page.getByRole('heading', { level: 1, name: `${NAME}: version 2 → version 1` }).waitFor();
    const back = page.getByRole('region', { name: 'Process gate: Changed' });
    await back.getByText('Removed').waitFor();
    expect(await back.innerText()).toMatch(/Before: at least 2 of cab\s+After: any 1 of cab/);

    // Back to the list, which passes axe with its links to the comparison.
    await page.getByRole('link', { name: '← All policies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    await link.waitFor();
    expect(await screenProblems(page, 'policy-diff-list-desktop')).toEqual([]);
    await page.context().close();

    // A phone, straight to the address; then a version nobody published.
    const phone = await h.signIn(PETRA, ['pmo'], PHONE);
    await phone.goto(`/policies?compare=${encodeURIComponent(NAME)}&from=1&to=2`);
    await phone.getByRole('region', { name: 'Process gate: Changed' }).waitFor();
    expect(await screenProblems(phone, 'policy-diff-phone')).toEqual([]);
    await phone.goto(`/policies?compare=${encodeURIComponent(NAME)}&from=1&to=9`);
    const alert = phone.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(`policy "${NAME}" version 9 was not found`);
    expect(await alert.innerText()).toContain('query.to');
    // The picker offers only published versions: the defaults stand in for the unknown one.
    expect(await phone.getByLabel('To').inputValue()).toBe('2');
    expect(await screenProblems(phone, 'policy-diff-missing-phone')).toEqual([]);
    await phone.context().close();
  });
});

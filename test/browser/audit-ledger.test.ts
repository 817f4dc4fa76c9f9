// The audit screen's signed ledger (issue 17) in Chromium against the API on real servers. A
// purchase starts through the API, so the ledger holds a real instance's events; heads are signed
// by calling the signer directly with a key of the test's own (the harness's worker has none, as
// a deployment without CHARTER_SIGNING_KEY). Then: the heads panel before any head and after one,
// the head and public key it downloads (the head's signature checks with that key), an event's
// inclusion proof in a dialog (the same path the API gives, operable by keyboard) and the plain
// "not yet" of an event appended after the head, "Sign now" on a worker without a key, and the
// evidence bundle link on the instance's page.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { headSignedBy } from '../../api/audit/tree-verify.js';
import type { SignedHead } from '../../store/ledger-heads.js';
import { newSigningKeyPem, signingKeyFrom } from '../../workflows/ledger/keys.js';
import { growAndSign } from '../../workflows/ledger/signer.js';
import {
  DESKTOP,
  PHONE,
  screenProblems,
  startConsoleHarness,
  type ConsoleHarness,
} from '../support/browser.js';

const POLICY_NAME = 'Ledger screen purchase';
const POLICY = `policy "${POLICY_NAME}" version 1 effective 2026-01-01
owner "pmo@halden.example"
role approvers = group "ledger-screen-approvers"

process purchase {
  input {
    requester: person
    item: text
  }
  approve review {
    by approvers
    any
    not request.requester
    within 5 days
  }
  end approved "{request.item} approved"
}
`;

const ALICE = 'alice.meyer@halden.example';
const RITA = 'rita.sommer@halden.example';
const SIMON = 'simon.frey@halden.example';
const PETRA = 'petra.holm@halden.example';

interface LedgerEvent {
  id: string;
  seq: number;
  type: string;
}

interface Proof {
  leafIndex: number;
  treeSize: number;
  path: string[];
  head: SignedHead;
}

/** What `read` gives once `done` holds (the workflow runs on its own time). */
async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached in 30 s (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The download `click` starts: its suggested name and its text. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

describe('the signed ledger on the audit screen', () => {
  let h: ConsoleHarness;
  const key = signingKeyFrom(newSigningKeyPem(), 'the browser test key');
  const token: Record<string, string> = {};
  let instanceId = '';
  let taskId = '';
  let firstHead: SignedHead | null = null;

  const asAuditor = <T>(path: string) => h.api.call<T>('GET', path, { token: token['auditor'] ?? null });
  const eventsOf = async (id: string): Promise<LedgerEvent[]> =>
    (
      await asAuditor<{ items: LedgerEvent[] }>(
        `/v1/audit/events?instance=${encodeURIComponent(id)}&limit=500`,
      )
    ).body.items;
  const sign = async (): Promise<SignedHead> => {
    const signed = await growAndSign(h.api.store, key, () => new Date());
    if (signed.head === null) throw new Error(`no head signed: ${JSON.stringify(signed)}`);
    return signed.head;
  };

  beforeAll(async () => {
    h = await startConsoleHarness(import.meta.url);
    await h.api.store.directory.seedFromWorld({
      groups: { 'ledger-screen-approvers': [ALICE] },
      managers: {},
      people: [RITA, SIMON, PETRA],
    });
    await h.api.publish(POLICY, 'purchase.charter');
    token['rita'] = await h.api.tokenFor(RITA, ['requester']);
    token['alice'] = await h.api.tokenFor(ALICE, ['approver']);
    token['auditor'] = await h.api.tokenFor(SIMON, ['auditor']);
    const started = await h.api.call<{ instanceId: string }>('POST', '/v1/instances', {
      token: token['rita'] ?? null,
      body: { policy: POLICY_NAME, process: 'purchase', input: { requester: RITA, item: '2 monitors' } },
    });
    if (started.status !== 201) throw new Error(`start: ${started.status} ${started.text}`);
    instanceId = started.body.instanceId;
    const task = await eventually(
      'the review task',
      async () =>
        (
          await h.api.call<{ items: { id: string; instanceId: string }[] }>('GET', '/v1/tasks/inbox', {
            token: token['alice'] ?? null,
          })
        ).body.items.find((t) => t.instanceId === instanceId),
      (found) => found !== undefined,
    );
    taskId = task?.id ?? '';
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  const headsPanel = (page: Page) => page.getByRole('region', { name: 'Signed tree heads' });

  test('when no head is signed yet, then the panel says when the first comes, and a PMO reader cannot sign', async () => {
    const phone = await h.signIn(PETRA, ['pmo'], PHONE);
    await phone.goto('/audit');
    await headsPanel(phone).getByText('No tree head is signed yet').waitFor();
    expect(await headsPanel(phone).innerText()).toContain('every 10 minutes by default');
    expect(await phone.getByRole('button', { name: 'Sign now' }).count()).toBe(0);
    expect(await screenProblems(phone, 'audit-heads-empty-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when a head is signed, then the panel shows it, and the downloaded head checks with the downloaded key', async () => {
    firstHead = await sign();
    // The approver decides after the head: the instance's last events are not under it.
    const decided = await h.api.call('POST', `/v1/tasks/${encodeURIComponent(taskId)}/decide`, {
      token: token['alice'] ?? null,
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    await eventually(
      'the ended event',
      () => eventsOf(instanceId),
      (items) => items.some((e) => e.type === 'ended'),
    );

    const page = await h.signIn(SIMON, ['auditor'], DESKTOP);
    await page.goto('/audit');
    const newest = headsPanel(page).locator('.audit-head-newest');
    await newest.getByText(`the first ${firstHead.treeSize} events`, { exact: false }).waitFor();
    expect(await newest.innerText()).toContain(firstHead.keyId);
    // The root shows short; its disclosure shows all 64 digits.
    await newest.locator('summary').click();
    expect(await newest.locator('.ledger-hash-full').innerText()).toBe(firstHead.rootHash);

    const head = await downloaded(page, () => newest.getByRole('button', { name: 'Download head' }).click());
    expect(head.name).toBe(`charter-head-${firstHead.treeSize}.json`);
    expect(head.text).toBe(`${JSON.stringify(firstHead, null, 2)}\n`);
    const publicKey = await downloaded(page, () =>
      headsPanel(page)
        .getByRole('button', { name: /^Download public key/ })
        .click(),
    );
    expect(publicKey.name).toBe(`charter-key-${key.keyId}.pem`);
    expect(publicKey.text).toBe(key.publicKeyPem);
    expect(headSignedBy(JSON.parse(head.text) as SignedHead, publicKey.text)).toBe(true);
    expect(await headsPanel(page).getByText('None: the newest head is the first one signed.').count()).toBe(
      1,
    );
    expect(await screenProblems(page, 'audit-heads-desktop')).toEqual([]);
    await page.context().close();
  });

  test("when an auditor opens an event's proof, then the dialog shows its path under the head, or plainly that the next head covers it", async () => {
    const events = await eventsOf(instanceId);
    const inTree = events[0];
    const after = events[events.length - 1];
    if (inTree === undefined || after === undefined || firstHead === null)
      throw new Error('no events or head');
    const expected = await asAuditor<Proof>(`/v1/audit/events/${encodeURIComponent(inTree.id)}/proof`);
    expect(expected.status).toBe(200);

    const page = await h.signIn(SIMON, ['auditor'], DESKTOP);
    await page.goto(`/audit?instance=${encodeURIComponent(instanceId)}`);
    await page.getByText(`Showing ${events.length} events`).waitFor();
    const rows = page.locator('table.audit-table tbody tr');
    const proofOf = (row: number) => rows.nth(row).getByRole('button', { name: /^Proof/ });

    await proofOf(0).click();
    const dialog = page.getByRole('dialog', { name: 'Inclusion proof' });
    await dialog.getByText('Checked in this browser').waitFor();
    const text = await dialog.innerText();
    expect(text).toContain(`${expected.body.leafIndex} (counting from 0)`);
    expect(text).toContain(`${firstHead.treeSize} events`);
    expect(text).toContain(firstHead.keyId);
    expect(await dialog.locator('.proof-path li').allInnerTexts()).toEqual(expected.body.path);
    const proof = await downloaded(page, () =>
      dialog.getByRole('button', { name: 'Download proof' }).click(),
    );
    expect(JSON.parse(proof.text)).toEqual(expected.body);
    expect(await screenProblems(page, 'audit-proof-desktop')).toEqual([]);
    // Escape closes it, and the focus is back on the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await proofOf(0).evaluate((el) => el === document.activeElement)).toBe(true);

    // The last event came after the head: a normal state in plain words, not an error.
    await proofOf(events.length - 1).focus();
    await page.keyboard.press('Enter');
    await dialog.getByText('Not under a signed head yet').waitFor();
    expect(await dialog.innerText()).toContain(
      'This event was appended after the newest signed head; it will be covered by the next one.',
    );
    expect(await dialog.getByRole('alert').count()).toBe(0);
    expect(await screenProblems(page, 'audit-proof-not-yet-desktop')).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await proofOf(events.length - 1).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.context().close();

    const phone = await h.signIn(SIMON, ['auditor'], PHONE);
    await phone.goto(`/audit?instance=${encodeURIComponent(instanceId)}`);
    await phone.getByText(`Showing ${events.length} events`).waitFor();
    await headsPanel(phone).locator('.audit-head-newest').waitFor();
    expect(await screenProblems(phone, 'audit-heads-phone')).toEqual([]);
    await phone
      .locator('table.audit-table tbody tr')
      .first()
      .getByRole('button', { name: /^Proof/ })
      .click();
    await phone
      .getByRole('dialog', { name: 'Inclusion proof' })
      .getByText('Checked in this browser')
      .waitFor();
    expect(await screenProblems(phone, 'audit-proof-phone')).toEqual([]);
    await phone.context().close();
  });

  test('when an auditor signs now on a worker without a key, then the answer says why; the next head moves the first to the earlier ones', async () => {
    if (firstHead === null) throw new Error('no first head');
    const page = await h.signIn(SIMON, ['auditor'], DESKTOP);
    await page.goto('/audit');
    await headsPanel(page).locator('.audit-head-newest').waitFor();
    await headsPanel(page).getByRole('button', { name: 'Sign now' }).click();
    const outcome = headsPanel(page).locator('.audit-sign-result');
    await outcome.getByText('No head was signed').waitFor();
    expect(await outcome.innerText()).toContain('the worker has no signing key');

    // The tree grew in that run; a signer with a key signs its new size, and the page follows.
    const second = await sign();
    expect(second.treeSize).toBeGreaterThan(firstHead.treeSize);
    await headsPanel(page).getByText(`the first ${second.treeSize} events`, { exact: false }).waitFor();
    const earlier = headsPanel(page).locator('.audit-heads-table tbody tr');
    expect(await earlier.count()).toBe(1);
    expect(await earlier.first().innerText()).toContain(String(firstHead.treeSize));
    expect(await screenProblems(page, 'audit-heads-two-desktop')).toEqual([]);

    // The instance's own page offers its evidence bundle to an auditor (its content is the API's test).
    await page.goto(`/instances/${encodeURIComponent(instanceId)}`);
    const evidence = page.getByRole('link', { name: 'Download evidence bundle' });
    await evidence.waitFor();
    expect(await evidence.getAttribute('href')).toBe(`/v1/audit/evidence/${encodeURIComponent(instanceId)}`);
    expect(await screenProblems(page, 'instance-evidence-desktop')).toEqual([]);
    await page.context().close();
  });
});

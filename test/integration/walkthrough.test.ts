// The README walkthrough, end to end, through the `charter` client over real HTTP against the real
// API, worker, Temporal dev server and MongoDB-wire server. The policy and the input are read out
// of README.md, so the front door cannot drift from what works: an author publishes, a requester
// starts, an approver delegates to the requester, whose approval is refused for segregation of
// duties (and recorded), the approver approves, a check fails and an IT director waives it, and
// an auditor queries, exports and verifies the instance's history. Meanwhile the worker's deliverer
// mails everyone the walkthrough concerns to a real SMTP server: each message arrives exactly
// once, in the right mailbox, and the waiver's expiry warning waits for its warning day.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runClient } from '../../api/cli/main.js';
import type { World } from '../../engine/simulate/world.js';
import { startDemoChecks, type DemoChecks } from '../../scripts/demo-checks.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { messageIdHeader } from '../../workflows/notify/transport/smtp.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { SmtpSender } from '../../workflows/notify/transport/smtp.js';
import { startApiHarness, type ApiHarness } from '../support/api.js';
import { startMailServer, type MailServer } from '../support/mail-server.js';
import { databaseNameFor } from '../support/services.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const walkthrough = readme.slice(readme.indexOf('## Walkthrough'));

/** The first fenced block of `language` in the walkthrough section. */
function block(language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(walkthrough);
  if (!match?.[1]) throw new Error(`README.md: no \`\`\`${language} block in the walkthrough`);
  return match[1];
}

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('the README walkthrough', () => {
  let api: ApiHarness;
  let checks: DemoChecks;
  let mail: MailServer;
  let mailer: SmtpSender;
  let deliverer: Deliverer;
  const token: Record<string, string> = {};
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-walkthrough-'));

  async function charter(as: string, ...argv: string[]): Promise<Run> {
    let out = '';
    let err = '';
    const code = await runClient(argv, {
      out: (text) => (out += text),
      err: (text) => (err += text),
      env: { CHARTER_API: api.base, CHARTER_TOKEN: token[as] },
    });
    return { code, out, err };
  }

  async function json<T>(as: string, ...argv: string[]): Promise<T> {
    const run = await charter(as, ...argv, '--format', 'json');
    if (run.code !== 0) throw new Error(`charter ${argv.join(' ')} as ${as}: ${run.err}`);
    return JSON.parse(run.out) as T;
  }

  /** Polls a client command until `ready` holds (the workflow runs on its own time). */
  async function until<T>(what: string, read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await read();
      if (ready(value)) return value;
      if (Date.now() > deadline)
        throw new Error(`${what}: not reached in 60 s (last: ${JSON.stringify(value)})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    checks = await startDemoChecks();
    api = await startApiHarness(import.meta.url, { checkServices: checks.services });
    const world = JSON.parse(
      readFileSync(new URL('../../policies/shared/org.world.json', import.meta.url), 'utf8'),
    ) as World;
    await api.store.directory.seedFromWorld(world);
    token['tomas'] = await api.tokenFor('tomas.berg@halden.example', ['author']);
    token['rita'] = await api.tokenFor('rita.sommer@halden.example', ['requester', 'approver']);
    token['henrik'] = await api.tokenFor('henrik.larsen@halden.example', ['approver']);
    token['simon'] = await api.tokenFor('simon.frey@halden.example', ['auditor']);
    mail = await startMailServer();
    mailer = new SmtpSender({
      host: '127.0.0.1',
      port: mail.port,
      starttls: 'off',
      user: null,
      password: null,
      from: 'charter@halden.example',
    });
    deliverer = new Deliverer(api.store, {
      publicUrl: 'https://charter.halden.example',
      senders: { mail: mailer, chat: new ChatSender() },
      pollMs: 100,
    });
    deliverer.start((line) => console.error(line));
    writeFileSync(path.join(dir, 'laptop-purchase.charter'), block('charter'));
    writeFileSync(path.join(dir, 'purchase.json'), block('json'));
  }, 120_000);

  afterAll(async () => {
    await deliverer?.stop();
    mailer?.close();
    await mail?.close();
    await api?.close();
    await checks?.close();
  });

  test('author, requester, approvers and auditor, as the README tells it', async () => {
    // 1. The author publishes.
    const published = await charter('tomas', 'publish', path.join(dir, 'laptop-purchase.charter'));
    expect(published.err).toBe('');
    expect(published.out).toMatch(/^published "?Laptop purchase"? v1/m);

    // 2. The requester starts an instance; a wrong input is refused with its field path first.
    writeFileSync(
      path.join(dir, 'wrong.json'),
      JSON.stringify({ ...JSON.parse(block('json')), budget: 'lots' }),
    );
    const wrong = await charter(
      'rita',
      'start',
      'Laptop purchase',
      'purchase',
      '--input',
      path.join(dir, 'wrong.json'),
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('body.input.budget');
    const started = await json<{ instanceId: string }>(
      'rita',
      'start',
      'Laptop purchase',
      'purchase',
      '--input',
      path.join(dir, 'purchase.json'),
    );
    const id = started.instanceId;

    // 3. Henrik finds the task and lets Rita stand in for him.
    type Inbox = {
      items: { id: string; step: string; kind: string; instanceId: string; onBehalfOf?: string | null }[];
    };
    const mine = (inbox: Inbox, step: string) =>
      inbox.items.find((t) => t.instanceId === id && t.step === step);
    const henriks = await until(
      'the manager_review task',
      () => json<Inbox>('henrik', 'inbox'),
      (i) => !!mine(i, 'manager_review'),
    );
    const task = mine(henriks, 'manager_review')?.id ?? '';
    const delegated = await charter(
      'henrik',
      'delegate',
      task,
      '--to',
      'rita.sommer@halden.example',
      '--for',
      '7d',
    );
    expect(delegated.code).toBe(0);

    // Rita sees it on Henrik's behalf; her approval of her own purchase is refused and recorded.
    const ritas = await json<Inbox>('rita', 'inbox');
    expect(mine(ritas, 'manager_review')?.onBehalfOf).toBe('henrik.larsen@halden.example');
    const refused = await charter('rita', 'approve', task);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('excluded');

    // Henrik approves; the device-baseline check fails and the waiver reaches the IT directors.
    expect((await charter('henrik', 'approve', task)).code).toBe(0);
    const withWaiver = await until(
      'the waiver task',
      () => json<Inbox>('henrik', 'inbox'),
      (i) => !!mine(i, 'device_baseline'),
    );
    const waiver = mine(withWaiver, 'device_baseline');
    expect(waiver?.kind).toBe('waiver');
    const waived = await charter(
      'henrik',
      'waive',
      waiver?.id ?? '',
      '--reason',
      'encryption is enforced by Intune before the laptops ship',
    );
    expect(waived.code).toBe(0);
    const ended = await until(
      'the instance approved',
      () => json<{ status: string; message: string | null }>('rita', 'instance', id),
      (i) => i.status !== 'running',
    );
    expect(ended.status).toBe('approved');
    expect(ended.message).toBe('12 laptops for the SAP rollout team may be ordered');

    // 4. The auditor queries, exports and verifies.
    const events = await json<{
      items: {
        type: string;
        text: string;
        actor: string | null;
        onBehalfOf: string | null;
        outcome: string | null;
      }[];
    }>('simon', 'audit', 'query', '--instance', id, '--all');
    const refusal = events.items.find((e) => e.type === 'refused');
    expect(refusal).toMatchObject({ actor: 'rita.sommer@halden.example', outcome: 'excluded' });
    expect(events.items.some((e) => /device_baseline/.test(e.text) && /waive/i.test(e.text))).toBe(true);
    const csv = await charter('simon', 'audit', 'export', '--instance', id, '--format', 'csv');
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.out.trimEnd().split(/\r?\n/);
    expect(header).toContain('prevHash');
    expect(rows.length).toBeGreaterThanOrEqual(events.items.length);
    const verified = await charter('simon', 'audit', 'verify', '--instance', id);
    expect(verified.code).toBe(0);
    // Its own chain and the chain of the refused attempt.
    expect(verified.out).toMatch(/intact: \d+ events in 2 chains/);
    // Auditors read; they do not act.
    expect((await charter('simon', 'approve', task)).code).toBe(1);

    // 5. Everyone was told by mail, once each; only the waiver's expiry warning still waits.
    type Row = {
      _id: string;
      channel: string;
      recipient: string;
      status: string;
      note: string | null;
      notices: { kind: string; instance: { id: string } }[];
    };
    const deliveries = api.mongo.db(databaseNameFor(import.meta.url)).collection<Row>('deliveries');
    const settled = await until(
      'every mail of the walkthrough delivered or held',
      () => deliveries.find({ channel: 'email' }).toArray(),
      (rows) =>
        rows.length > 0 &&
        rows.every(
          (r) => r.status === 'delivered' || (r.status === 'pending' && r.note?.startsWith('held until')),
        ),
    );
    const sent = settled.filter((r) => r.status === 'delivered');
    const held = settled.filter((r) => r.status === 'pending');
    expect(held.map((r) => r.notices[0]?.kind)).toEqual(held.map(() => 'waiverExpiring'));
    expect(held.length).toBeGreaterThanOrEqual(1);
    const ids = mail.mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(mail.mails).toHaveLength(sent.length);
    for (const row of sent) {
      const got = mail.mails.filter((m) => m.messageId === messageIdHeader(row._id));
      expect(got.map((m) => m.to)).toEqual([[row.recipient]]);
    }
    const henrik = 'henrik.larsen@halden.example';
    const rita = 'rita.sommer@halden.example';
    const to = (person: string) => mail.mails.filter((m) => m.to.includes(person));
    const kinds = (person: string) =>
      sent.filter((r) => r.recipient === person).map((r) => r.notices[0]?.kind);
    expect(kinds(henrik)).toEqual(expect.arrayContaining(['taskAssigned', 'waiverNeeded']));
    expect(kinds(rita)).toEqual(expect.arrayContaining(['taskAssigned', 'decision', 'ended']));
    expect(to(henrik).some((m) => /manager_review/.test(m.subject))).toBe(true);
    expect(to(henrik).some((m) => /device_baseline/.test(`${m.subject} ${m.text}`))).toBe(true);
    expect(to(rita).some((m) => /on behalf of henrik\.larsen/i.test(m.text))).toBe(true);
    expect(to(rita).some((m) => /approved/i.test(m.subject) && m.text.includes(id))).toBe(true);
    for (const m of mail.mails)
      expect(m.text).toMatch(/https:\/\/charter\.halden\.example\/(tasks|instances)\//);
  }, 240_000);
});

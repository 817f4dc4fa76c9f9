// The mail and chat transports against real servers on this machine: SmtpSender through the whole
// SMTP dialogue with smtp-server (pooled connections, Message-ID, both MIME parts, a refused
// recipient, a 451, STARTTLS required but not offered, credentials), and ChatSender against an HTTP
// receiver answering each status class. No database: nothing here stores anything.
import type { ComposedMessage } from '../../engine/notices/types.js';
import { renderMail } from '../../workflows/notify/format/email.js';
import { slackPayload } from '../../workflows/notify/format/slack.js';
import { teamsPayload } from '../../workflows/notify/format/teams.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { messageIdHeader, SmtpSender, type SmtpSettings } from '../../workflows/notify/transport/smtp.js';
import { validateSlackPayload, validateTeamsPayload } from '../support/chat-payloads.js';
import { startChatReceiver, type ChatReceiver } from '../support/chat-receiver.js';
import { startMailServer, type MailServer } from '../support/mail-server.js';

const message: ComposedMessage = {
  subject: 'Genehmigung nötig: cab_review for change-request on Apollo',
  headline: 'Bob asked you to approve <change 42> & sign',
  why: 'The change is high risk.',
  due: 'Mon 7 Dec 2026, 17:00 (Europe/Berlin)',
  details: [{ label: 'Project', value: 'Apollo' }],
  link: { url: 'https://charter.example/tasks/i-1/cab_review', label: 'Open the task' },
};
const rendered = renderMail(message);
const mailTo = (to: string, id: string) => ({ to, ...rendered, messageId: id });

const settingsFor = (server: MailServer, over: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: '127.0.0.1',
  port: server.port,
  starttls: 'opportunistic',
  user: null,
  password: null,
  from: 'Charter <charter@example.com>',
  ...over,
});

describe('SmtpSender', () => {
  let server: MailServer;
  let sender: SmtpSender;

  beforeAll(async () => {
    server = await startMailServer({
      reject: (rcpt) =>
        rcpt.startsWith('gone@')
          ? { code: 550, message: 'No such mailbox' }
          : rcpt.startsWith('busy@')
            ? { code: 451, message: 'Mailbox busy, try later' }
            : null,
    });
    sender = new SmtpSender(settingsFor(server), { timeoutMs: 5_000 });
  });

  beforeEach(() => {
    server.mails.length = 0;
  });

  afterAll(async () => {
    sender.close();
    await server.close();
  });

  test('when a mail is sent, then it arrives with its Message-ID, recipient, subject and both parts', async () => {
    expect(await sender.send(mailTo('alice@example.com', 'evt-1/alice@example.com/email'))).toEqual({
      ok: true,
    });

    const [mail] = await server.waitFor(1);
    expect(mail?.to).toEqual(['alice@example.com']);
    expect(mail?.from).toBe('charter@example.com');
    expect(mail?.messageId).toBe('<evt-1/alice%40example%2Ecom/email@charter>');
    expect(mail?.messageId).toMatch(/^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+@charter>$/);
    expect(mail?.headers.get('to')).toBe('alice@example.com');
    expect(mail?.subject).toBe('Genehmigung nötig: cab_review for change-request on Apollo');
    expect(mail?.headers.get('content-type')).toMatch(/^multipart\/alternative;/);
    expect(mail?.text).toContain('Bob asked you to approve <change 42> & sign');
    expect(mail?.text.split(/\r?\n/)).toContain('https://charter.example/tasks/i-1/cab_review');
    expect(mail?.html).toContain('Bob asked you to approve &lt;change 42&gt; &amp; sign');
    expect(mail?.html).toContain('href="https://charter.example/tasks/i-1/cab_review"');
  });

  test('when the same delivery is sent twice, then both copies carry the same Message-ID', async () => {
    await sender.send(mailTo('alice@example.com', 'evt-2/alice@example.com/email'));
    await sender.send(mailTo('alice@example.com', 'evt-2/alice@example.com/email'));
    const mails = await server.waitFor(2);
    expect(mails.map((m) => m.messageId)).toEqual([
      messageIdHeader('evt-2/alice@example.com/email'),
      messageIdHeader('evt-2/alice@example.com/email'),
    ]);
  });

  test('when the id is already a Message-ID, then it is sent as it is', async () => {
    await sender.send(mailTo('alice@example.com', '<evt-3%2Falice%40example.com@charter>'));
    const [mail] = await server.waitFor(1);
    expect(mail?.messageId).toBe('<evt-3%2Falice%40example.com@charter>');
  });

  test('when the server refuses one recipient with 550, then that send is permanent and the others arrive', async () => {
    const outcomes = await Promise.all(
      ['alice@example.com', 'gone@example.com', 'carol@example.com'].map((to, i) =>
        sender.send(mailTo(to, `evt-3/${i}`)),
      ),
    );
    expect(outcomes[0]).toEqual({ ok: true });
    expect(outcomes[1]).toMatchObject({ ok: false, permanent: true });
    expect(outcomes[1]?.ok === false && outcomes[1].error).toContain('550');
    expect(outcomes[2]).toEqual({ ok: true });
    const mails = await server.waitFor(2);
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['alice@example.com', 'carol@example.com']);
  });

  test('when the server answers 451 for a recipient, then the send is transient', async () => {
    const outcome = await sender.send(mailTo('busy@example.com', 'evt-4/busy'));
    expect(outcome).toMatchObject({ ok: false, permanent: false });
    expect(outcome.ok === false && outcome.error).toContain('451');
    expect(server.mails).toEqual([]);
  });

  test('when many mails go out at once, then the pool delivers every one of them', async () => {
    const recipients = Array.from({ length: 12 }, (_, i) => `person${i}@example.com`);
    const outcomes = await Promise.all(recipients.map((to, i) => sender.send(mailTo(to, `evt-5/${i}`))));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const mails = await server.waitFor(12);
    expect(mails.flatMap((m) => m.to).sort()).toEqual([...recipients].sort());
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(12);
  });

  test('when STARTTLS is required but the server does not offer it, then nothing is sent and it is transient', async () => {
    const strict = new SmtpSender(settingsFor(server, { starttls: 'require' }), {
      pool: false,
      timeoutMs: 5_000,
    });
    try {
      const outcome = await strict.send(mailTo('alice@example.com', 'evt-6/alice'));
      expect(outcome).toMatchObject({ ok: false, permanent: false });
      expect(server.mails).toEqual([]);
    } finally {
      strict.close();
    }
  });

  test('when STARTTLS is off, then mail still goes out in clear text to a server without it', async () => {
    const plain = new SmtpSender(settingsFor(server, { starttls: 'off' }), { pool: false, timeoutMs: 5_000 });
    try {
      expect(await plain.send(mailTo('alice@example.com', 'evt-7/alice'))).toEqual({ ok: true });
      await server.waitFor(1);
    } finally {
      plain.close();
    }
  });

  test('when nothing listens on the port, then the send is transient', async () => {
    const gone = await startMailServer();
    const port = gone.port;
    await gone.close();
    const nowhere = new SmtpSender({ ...settingsFor(server), port }, { pool: false, timeoutMs: 2_000 });
    try {
      const outcome = await nowhere.send(mailTo('alice@example.com', 'evt-8/alice'));
      expect(outcome).toMatchObject({ ok: false, permanent: false });
      expect(outcome.ok === false && outcome.error).toMatch(/ECONNREFUSED/);
    } finally {
      nowhere.close();
    }
  });
});

describe('SmtpSender with credentials', () => {
  let server: MailServer;

  beforeAll(async () => {
    server = await startMailServer({ auth: { user: 'charter', password: 's3cret' } });
  });
  afterAll(() => server.close());

  test('when the credentials are right, then the mail arrives', async () => {
    const sender = new SmtpSender(settingsFor(server, { user: 'charter', password: 's3cret' }), {
      timeoutMs: 5_000,
    });
    try {
      expect(await sender.send(mailTo('alice@example.com', 'evt-9/alice'))).toEqual({ ok: true });
      await server.waitFor(1);
    } finally {
      sender.close();
    }
  });

  test('when the password is wrong, then the server answers 535 and the send stays transient', async () => {
    const sender = new SmtpSender(settingsFor(server, { user: 'charter', password: 'wrong' }), {
      timeoutMs: 5_000,
    });
    try {
      const outcome = await sender.send(mailTo('alice@example.com', 'evt-10/alice'));
      expect(outcome).toMatchObject({ ok: false, permanent: false });
      expect(outcome.ok === false && outcome.error).toContain('535');
    } finally {
      sender.close();
    }
  });
});

describe('ChatSender', () => {
  let receiver: ChatReceiver;
  const sender = new ChatSender({ timeoutMs: 5_000 });

  beforeAll(async () => {
    receiver = await startChatReceiver();
  });
  afterAll(() => receiver.close());

  test('when the webhook answers 200, then the JSON arrives as sent with the delivery id', async () => {
    const slack = slackPayload(message);
    const teams = teamsPayload(message);
    expect(await sender.send(receiver.url('/slack/alice'), slack, 'evt-1/alice/chat')).toEqual({ ok: true });
    expect(await sender.send(receiver.url('/teams/bob'), teams, 'evt-1/bob/chat')).toEqual({ ok: true });

    const [toSlack] = receiver.received('/slack/alice');
    expect(toSlack).toMatchObject({ delivery: 'evt-1/alice/chat', contentType: 'application/json' });
    expect(toSlack?.body).toEqual(slack);
    expect(validateSlackPayload(toSlack?.body)).toEqual([]);
    const [toTeams] = receiver.received('/teams/bob');
    expect(toTeams?.body).toEqual(teams);
    expect(validateTeamsPayload(toTeams?.body)).toEqual([]);
  });

  const ok = { ok: true };
  const permanent = { ok: false, permanent: true };
  const transient = { ok: false, permanent: false };
  test.each([
    [202, ok],
    [204, ok],
    [400, permanent],
    [403, permanent],
    [404, permanent],
    [410, permanent],
    [408, transient],
    [429, transient],
    [500, transient],
    [503, transient],
    [301, permanent],
    [308, permanent],
  ])('when the webhook answers %i, then the outcome is %j', async (status, expected) => {
    const path = `/status/${status}`;
    receiver.answer(path, status);
    const outcome = await sender.send(receiver.url(path), { text: 'x' }, `d-${status}`);
    expect(outcome).toMatchObject(expected);
    if (!outcome.ok) {
      expect(outcome.error).toContain(`HTTP ${status}`);
      expect(outcome.error).not.toContain(receiver.url(path));
    }
    expect(receiver.received(path)).toHaveLength(1);
  });

  test('when the webhook refuses the body, then the error says what the service said', async () => {
    receiver.answer('/refuse', 400, 'invalid_blocks\n');
    expect(await sender.send(receiver.url('/refuse'), { text: 'x' }, 'd-refuse')).toEqual({
      ok: false,
      permanent: true,
      error: 'HTTP 400: invalid_blocks',
    });
  });

  test('when nothing listens, then the send is transient', async () => {
    const gone = await startChatReceiver();
    const url = gone.url('/hook');
    await gone.close();
    const outcome = await sender.send(url, { text: 'x' }, 'd-gone');
    expect(outcome).toMatchObject({ ok: false, permanent: false });
    expect(outcome.ok === false && outcome.error).toMatch(/^no answer: .*ECONNREFUSED/);
  });
});

// A real SMTP server for tests (smtp-server, the server half of nodemailer's project), on
// 127.0.0.1 and a free port: mail goes over a socket through the whole SMTP dialogue, and a test can
// make the server refuse chosen recipients with the reply code it wants (550, 451).
//
// The received messages are parsed just enough to assert on them: headers, and the text/plain and
// text/html parts of a multipart/alternative body, decoded from quoted-printable or base64.
// Without STARTTLS (no certificate to manage); a test that needs auth gets it over the plain socket.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import { until } from './until.js';

export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients the server accepted (RCPT TO). */
  to: string[];
  raw: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  /** Every header, names lower-case, folded lines joined, encoded words decoded. */
  headers: Map<string, string>;
}

export interface MailServerOptions {
  /** A reply for a recipient the server should refuse (`{ code: 550, message: '...' }`), or null. */
  reject?: (rcpt: string) => { code: number; message: string } | null;
  /** Credentials the server requires; without them, anyone may send. */
  auth?: { user: string; password: string };
  /**
   * Called with each complete message before the server answers the DATA command: `drop` never
   * answers 250 (the client never learns it was taken, as when it dies waiting) and keeps nothing.
   */
  beforeAccept?: (mail: ReceivedMail) => Promise<'accept' | 'drop'>;
}

export interface MailServer {
  port: number;
  mails: ReceivedMail[];
  /** Waits until at least `n` mails arrived (default 10 s), and returns them. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startMailServer(options: MailServerOptions = {}): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  const { auth } = options;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    // Do not wait half a minute for a client's idle pooled connection when a test closes the server.
    closeTimeout: 500,
    onAuth(credentials, _session, callback) {
      if (
        auth !== undefined &&
        credentials.username === auth.user &&
        credentials.password === auth.password
      ) {
        callback(null, { user: credentials.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onRcptTo(address, _session, callback) {
      const refusal = options.reject?.(address.address) ?? null;
      if (refusal === null) return callback();
      const error: SMTPServerError = Object.assign(new Error(refusal.message), {
        responseCode: refusal.code,
      });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const mail = parseMail(
          raw,
          from,
          session.envelope.rcptTo.map((r) => r.address),
        );
        const verdict = options.beforeAccept?.(mail) ?? Promise.resolve('accept' as const);
        void verdict.then((answer) => {
          if (answer === 'drop') {
            callback(Object.assign(new Error('dropped by the test'), { responseCode: 451 }));
            return;
          }
          mails.push(mail);
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    waitFor: (n, timeoutMs = 10_000) =>
      until(
        `${n} mail(s) at the test server`,
        () => Promise.resolve(mails),
        (list) => list.length >= n,
        timeoutMs,
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// --- parsing -------------------------------------------------------------------------------------

function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const { headers, body } = splitEntity(raw);
  const parts = bodyParts(headers, body);
  const part = (type: string) => parts.find((p) => p.type === type)?.content ?? '';
  return {
    from,
    to,
    raw,
    messageId: headers.get('message-id') ?? '',
    subject: headers.get('subject') ?? '',
    text: part('text/plain'),
    html: part('text/html'),
    headers,
  };
}

/** Headers (unfolded, decoded) and body of a message or of one MIME part. */
function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const end = entity.search(/\r?\n\r?\n/);
  const head = end < 0 ? entity : entity.slice(0, end);
  const body = end < 0 ? '' : entity.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

/** The leaf parts of a body, walking nested multiparts, each decoded to a string. */
function bodyParts(headers: Map<string, string>, body: string): { type: string; content: string }[] {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (boundary === undefined) return [];
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith('--'))
      .flatMap((chunk) => {
        const part = splitEntity(chunk.replace(/^\r?\n/, ''));
        return bodyParts(part.headers, part.body);
      });
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  return [{ type, content: decodeBody(body.replace(/\r?\n$/, ''), encoding) }];
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return quotedPrintable(body);
  return body;
}

function quotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as nodemailer writes non-ASCII headers. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : quotedPrintable(text.replace(/_/g, ' ')),
    );
}

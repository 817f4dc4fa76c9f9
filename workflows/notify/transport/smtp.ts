// Mail out through the organisation's SMTP relay, with nodemailer. One sender per worker keeps a
// small pool of connections open, so a burst of notices does not pay a TCP and TLS handshake each.
//
// A send never throws: it says whether the relay took the mail and, when not, whether trying again
// can help. That is what the delivery queue needs to decide between a retry and giving up.
//  - An SMTP 5xx reply in the mail transaction (MAIL FROM, RCPT TO, DATA: 550 no such mailbox, 552
//    too big, 554 refused) is permanent: the same mail would be refused again.
//  - 4xx replies (451 try later, 421 busy), 503 (bad sequence: the session was in the wrong state, a
//    new connection fixes it), connection failures, timeouts, and 5xx replies while the session is
//    set up (refused credentials, STARTTLS required but not offered) are transient: nothing is wrong
//    with the mail, and it goes out once the relay or its settings are fixed.
// The Message-ID is derived from the delivery id, so a retry after a lost reply (the relay took the
// mail but the answer never arrived) sends the same Message-ID and a receiver can drop the duplicate.
import nodemailer from 'nodemailer';
import type { NodemailerError, SendMailOptions, SMTPSentMessageInfo } from 'nodemailer';

export interface SmtpSettings {
  host: string;
  port: number;
  /**
   * 'require': upgrade with STARTTLS or fail (the relay must offer it); 'opportunistic': upgrade when
   * the relay offers STARTTLS (a failed upgrade still fails: credentials never go out in clear after
   * a broken handshake); 'off': never upgrade. Port 465 is TLS from the first byte regardless.
   */
  starttls: 'require' | 'opportunistic' | 'off';
  user: string | null;
  password: string | null;
  from: string;
}

export type SendOutcome = { ok: true } | { ok: false; permanent: boolean; error: string };

export interface SmtpSenderOptions {
  /** Keep connections open between sends (default true). */
  pool?: boolean;
  /** Open connections at most (default 4): relays limit connections per client. */
  maxConnections?: number;
  /** Budget of one send, waiting for a pooled connection included (default 30 s). */
  timeoutMs?: number;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The delivery id; becomes the Message-ID header `<id@charter>` (see messageIdHeader). */
  messageId: string;
}

/** A Message-ID as RFC 5322 allows it: `<local@domain>`, atext and dots only. */
const MESSAGE_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+>$/;

/**
 * The Message-ID header for a delivery: `<id@charter>`, where the characters a Message-ID's local part
 * does not allow (the `@` and `.` of an address in a delivery id) are written as %XX. A value that is
 * already a well-formed Message-ID is used as it is.
 */
export function messageIdHeader(deliveryId: string): string {
  if (MESSAGE_ID.test(deliveryId)) return deliveryId;
  const local = Array.from(new TextEncoder().encode(deliveryId), (byte) => {
    const char = String.fromCharCode(byte);
    return /^[A-Za-z0-9_+=/-]$/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  return `<${local}@charter>`;
}

/** Only the two calls we make, so a pooled and a single-connection transport fit the same field. */
interface Transport {
  sendMail(data: SendMailOptions): Promise<SMTPSentMessageInfo>;
  close(): void;
}

export class SmtpSender {
  private readonly transport: Transport;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: SmtpSettings,
    options: SmtpSenderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const connection = {
      host: settings.host,
      port: settings.port,
      // Port 465 is implicit TLS (RFC 8314: the session is encrypted from the first byte); every other
      // port starts in clear text and upgrades with STARTTLS as `starttls` says.
      secure: settings.port === 465,
      requireTLS: settings.starttls === 'require',
      ignoreTLS: settings.starttls === 'off',
      auth: settings.user === null ? undefined : { user: settings.user, pass: settings.password ?? '' },
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
    };
    this.transport =
      options.pool === false
        ? nodemailer.createTransport(connection)
        : nodemailer.createTransport({
            ...connection,
            pool: true,
            maxConnections: options.maxConnections ?? 4,
          });
  }

  async send(mail: OutgoingMail): Promise<SendOutcome> {
    try {
      const info = await this.transport.sendMail({
        from: this.settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: messageIdHeader(mail.messageId),
        // Bounds the wait for a pooled connection too. An abort does not prove the relay has not
        // taken the mail: the retry then carries the same Message-ID.
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // With one recipient a refusal rejects the promise; this covers a relay that accepts the
      // message while listing the recipient as rejected.
      if (info.rejected.length > 0) {
        const [refusal] = info.rejectedErrors ?? [];
        return failure(refusal ?? { message: `the relay refused ${info.rejected.join(', ')}` });
      }
      return { ok: true };
    } catch (error) {
      return failure(error);
    }
  }

  /** Closes the pooled connections (a QUIT each); sends after this fail. */
  close(): void {
    this.transport.close();
  }
}

function failure(error: unknown): SendOutcome {
  const smtp = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  // Not `instanceof Error`: an error from another realm (a vm context, a worker) would fail it.
  const message = typeof smtp.message === 'string' ? smtp.message : String(error);
  return { ok: false, permanent: isPermanent(smtp), error: message };
}

/** The commands of the mail transaction: a refusal there is about this mail, its sender or recipient. */
const TRANSACTION = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);

function isPermanent(error: NodemailerError): boolean {
  const code = error.responseCode;
  if (typeof code !== 'number' || code < 500) return false;
  // 503 says the session was in the wrong state for the command, not that the mail was refused.
  if (code === 503) return false;
  // A refusal while the session is set up (greeting, EHLO, STARTTLS, AUTH 535) is about our settings
  // or the relay, not this mail: every mail would fail until an admin fixes them, and none should be
  // lost meanwhile.
  return error.command !== undefined && TRANSACTION.has(error.command);
}

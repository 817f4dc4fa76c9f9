// Renders a delivery for its channel and hands it to the sender: mail (HTML and text) to the
// person's address, or the Slack or Teams payload to their chat webhook.
import type { ComposedDigest } from '../../engine/notices/compose.js';
import type { ComposedMessage, DeliveryProfile } from '../../engine/notices/types.js';
import type { Delivery } from '../../store/index.js';
import { renderDigestMail, renderMail } from './format/email.js';
import { slackDigestPayload, slackPayload } from './format/slack.js';
import { teamsDigestPayload, teamsPayload } from './format/teams.js';
import type { ChatSender } from './transport/chat.js';
import type { SendOutcome, SmtpSender } from './transport/smtp.js';

/** Where deliveries go out; `mail` is null on a worker without an SMTP server. */
export interface Outgoing {
  mail: Pick<SmtpSender, 'send'> | null;
  chat: Pick<ChatSender, 'send'>;
}

export type Content = { single: ComposedMessage } | { digest: ComposedDigest };

export async function sendRendered(
  out: Outgoing,
  d: Delivery,
  profile: DeliveryProfile,
  content: Content,
): Promise<SendOutcome> {
  if (d.channel === 'email') {
    if (out.mail === null || profile.email === null) {
      return { ok: false, permanent: true, error: 'no mail server or no address' };
    }
    const mail = 'single' in content ? renderMail(content.single) : renderDigestMail(content.digest);
    return out.mail.send({ to: profile.email, ...mail, messageId: d.id });
  }
  if (profile.chat === null) return { ok: false, permanent: true, error: 'no chat target' };
  const payload =
    profile.chat.format === 'slack'
      ? 'single' in content
        ? slackPayload(content.single)
        : slackDigestPayload(content.digest)
      : 'single' in content
        ? teamsPayload(content.single)
        : teamsDigestPayload(content.digest);
  return out.chat.send(profile.chat.url, payload, d.id);
}

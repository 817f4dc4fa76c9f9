// The mail a person receives for a notice, or for a day's digest of notices: an HTML part and a
// text part that carry the same content, so a reader with images, styles or HTML turned off misses
// nothing. The HTML is deliberately plain (inline styles only, no images, no scripts, no web fonts):
// mail clients strip <style> blocks and remote content unpredictably, and a screen reader should meet
// a heading, a few paragraphs, a table of details and one link.
//
// Every value comes from policies, directories and people's comments, so every value is escaped, and
// only http(s) URLs are ever put in an href: anything else is shown as text. The link opens a console
// page; opening it never acts, the person confirms there.
import type { ComposedDigest } from '../../../engine/notices/compose.js';
import type { ComposedMessage } from '../../../engine/notices/types.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The five characters that can end a text node or an attribute value, as entities. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The URL, normalised, when it is an absolute http(s) URL; otherwise null. A `javascript:` or `data:`
 * URL in a link would run or show something in the reader's client, so callers show those as text.
 */
export function httpUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
}

/** Where a person changes what they receive: the console the link points into, or null if unknown. */
export function preferencesUrl(link: ComposedMessage['link']): string | null {
  const url = httpUrl(link.url);
  return url === null ? null : `${new URL(url).origin}/settings/notifications`;
}

/** Headers are one line: a newline in a subject would end the header early. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function linkLabel(message: ComposedMessage): string {
  return message.link.label.trim() === '' ? 'Open the task' : message.link.label;
}

export function renderMail(message: ComposedMessage): RenderedMail {
  const subject = oneLine(message.subject);
  return {
    subject,
    text: [...messageText(message), '', ...footerText(preferencesUrl(message.link))].join('\n'),
    html: page(subject, [messageHtml(message, 'h1'), footerHtml(preferencesUrl(message.link))]),
  };
}

export function renderDigestMail(digest: ComposedDigest): RenderedMail {
  const subject = oneLine(digest.subject);
  // Every item links into the same console; the first one that is a web address says where it is.
  const preferences = digest.items.map((item) => preferencesUrl(item.link)).find((url) => url !== null);
  const text: string[] = [digest.intro];
  for (const item of digest.items) text.push('', '----', '', ...messageText(item, item.subject));
  text.push('', ...footerText(preferences ?? null));
  const intro = `<h1 style="${STYLE.h1}">${escapeHtml(subject)}</h1><p style="${STYLE.p}">${escapeHtml(digest.intro)}</p>`;
  const items = digest.items.map(
    (item) => `<div style="${STYLE.item}">${messageHtml(item, 'h2', item.subject)}</div>`,
  );
  return {
    subject,
    text: text.join('\n'),
    html: page(subject, [intro, ...items, footerHtml(preferences ?? null)]),
  };
}

// --- text ----------------------------------------------------------------------------------------

/** The message as lines; the URL stands on its own line, so every client makes it clickable. */
function messageText(message: ComposedMessage, title?: string): string[] {
  const lines: string[] = [];
  if (title !== undefined) lines.push(title, '');
  lines.push(message.headline);
  if (message.why !== null) lines.push('', message.why);
  if (message.due !== null) lines.push('', upperFirst(message.due));
  if (message.details.length > 0) {
    lines.push('');
    for (const { label, value } of message.details) lines.push(`${label}: ${value}`);
  }
  lines.push('', `${linkLabel(message)}:`, message.link.url);
  return lines;
}

function footerText(preferences: string | null): string[] {
  return [
    '--',
    WHY_YOU_GET_THIS,
    preferences === null
      ? 'You can change which messages you get, and how, in the console under Settings, Notifications.'
      : 'You can change which messages you get, and how, in the console:',
    ...(preferences === null ? [] : [preferences]),
  ];
}

// --- HTML ----------------------------------------------------------------------------------------

const WHY_YOU_GET_THIS =
  'You get this mail because a Charter process involves you: a task, a decision, a waiver or a mention.';

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
// Contrast of text on white is above 7:1 (dark grey) and the button's white on blue above 4.5:1.
const STYLE = {
  body: `margin:0;padding:0;background-color:#f3f4f6;${FONT}`,
  card: `max-width:600px;margin:0 auto;padding:24px;background-color:#ffffff;color:#1f2328;${FONT};font-size:16px;line-height:1.5`,
  h1: 'margin:0 0 12px 0;font-size:22px;line-height:1.3;color:#1f2328',
  h2: 'margin:0 0 8px 0;font-size:18px;line-height:1.3;color:#1f2328',
  p: 'margin:0 0 12px 0',
  item: 'margin:0 0 16px 0;padding:16px 0 0 0;border-top:1px solid #d0d7de',
  table: 'border-collapse:collapse;margin:0 0 16px 0',
  th: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:600;color:#424a53',
  td: 'text-align:left;vertical-align:top;padding:4px 0',
  button:
    'display:inline-block;padding:10px 20px;background-color:#0a58ca;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600',
  footer: 'margin:24px 0 0 0;padding:16px 0 0 0;border-top:1px solid #d0d7de;font-size:13px;color:#57606a',
  footerLink: 'color:#0a58ca',
} as const;

function page(subject: string, sections: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="${STYLE.body}">`,
    `<div role="article" aria-label="${escapeHtml(subject)}" lang="en" style="${STYLE.card}">`,
    ...sections,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}

function messageHtml(message: ComposedMessage, heading: 'h1' | 'h2', title?: string): string {
  const parts: string[] = [];
  if (title !== undefined) {
    parts.push(`<${heading} style="${STYLE[heading]}">${escapeHtml(title)}</${heading}>`);
    parts.push(`<p style="${STYLE.p}">${escapeHtml(message.headline)}</p>`);
  } else {
    parts.push(`<${heading} style="${STYLE[heading]}">${escapeHtml(message.headline)}</${heading}>`);
  }
  if (message.why !== null) parts.push(`<p style="${STYLE.p}">${escapeHtml(message.why)}</p>`);
  if (message.due !== null) {
    parts.push(`<p style="${STYLE.p}"><strong>${escapeHtml(upperFirst(message.due))}</strong></p>`);
  }
  if (message.details.length > 0) parts.push(detailsTable(message.details));
  parts.push(linkHtml(message));
  return parts.join('\n');
}

/** A real data table with row headers, so a screen reader announces "Project: Apollo". */
function detailsTable(details: ComposedMessage['details']): string {
  const rows = details.map(
    ({ label, value }) =>
      `<tr><th scope="row" style="${STYLE.th}">${escapeHtml(label)}</th><td style="${STYLE.td}">${escapeHtml(value)}</td></tr>`,
  );
  return `<table style="${STYLE.table}"><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function linkHtml(message: ComposedMessage): string {
  const label = escapeHtml(linkLabel(message));
  const url = httpUrl(message.link.url);
  if (url === null) {
    return `<p style="${STYLE.p}">${label}: ${escapeHtml(message.link.url)}</p>`;
  }
  return `<p style="${STYLE.p}"><a href="${escapeHtml(url)}" style="${STYLE.button}">${label}</a></p>`;
}

function footerHtml(preferences: string | null): string {
  const where =
    preferences === null
      ? 'in the console under Settings, Notifications'
      : `in the console: <a href="${escapeHtml(preferences)}" style="${STYLE.footerLink}">${escapeHtml(preferences)}</a>`;
  return `<p style="${STYLE.footer}">${escapeHtml(WHY_YOU_GET_THIS)} You can change which messages you get, and how, ${where}.</p>`;
}

/** "due in 2 working days, …" as the start of a line: the due text reads as a sentence. */
export const upperFirst = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

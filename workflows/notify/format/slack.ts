// A notice as a Slack message, in the body a Slack incoming webhook accepts: Block Kit blocks for the
// layout and a `text` fallback that notifications and screen readers use. The block types come from
// @slack/types, so a misspelt field is a compile error; the limits Slack enforces at run time (header
// 150 characters, section text 3000, ten fields of 2000, 50 blocks a message) are kept here, by
// cutting long values with an ellipsis rather than having Slack refuse the whole message.
//
// In mrkdwn, `&`, `<` and `>` are control characters (`<url|label>` is a link, `<!channel>` pings a
// channel), so every value is escaped to its entity; only http(s) URLs become buttons.
import type {
  ActionsBlock,
  Button,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  SectionBlock,
} from '@slack/types';
import type { ComposedDigest } from '../../../engine/notices/compose.js';
import type { ComposedMessage } from '../../../engine/notices/types.js';
import { httpUrl, upperFirst } from './email.js';

export interface SlackPayload {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits (docs.slack.dev, Block Kit reference), in characters. */
export const SLACK_LIMITS = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonUrl: 3000,
} as const;

/** `&`, `<` and `>` as the entities Slack decodes for display; nothing else is encoded. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `value` cut to at most `max` UTF-16 units (the stricter of Slack's counts), ending in `…` when cut.
 * Cuts between code points, so an emoji is never split in half.
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let kept = '';
  for (const char of value) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept}…`;
}

/** A value escaped for mrkdwn and cut to `max`, measured after escaping but never inside an entity. */
function mrkdwnText(value: string, max: number): string {
  const escaped = escapeMrkdwn(value);
  if (escaped.length <= max) return escaped;
  let kept = '';
  for (const char of value) {
    const next = escapeMrkdwn(char);
    if (kept.length + next.length > max - 1) break;
    kept += next;
  }
  return `${kept}…`;
}

function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function header(text: string): HeaderBlock {
  // plain_text is shown as written: no escaping, only the length limit.
  return { type: 'header', text: { type: 'plain_text', text: truncate(oneLine(text), SLACK_LIMITS.header) } };
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** The button that opens the console page, or null when the link is not a web address Slack accepts. */
function openButton(link: ComposedMessage['link'], fallbackLabel: string): Button | null {
  const url = httpUrl(link.url);
  if (url === null || url.length > SLACK_LIMITS.buttonUrl) return null;
  const label = link.label.trim() === '' ? fallbackLabel : link.label;
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(label, SLACK_LIMITS.buttonText) },
    url,
  };
}

/** The details as two-column fields: sections of at most ten, each field at most 2000 characters. */
function detailSections(details: ComposedMessage['details']): SectionBlock[] {
  const fields = details.map(({ label, value }) => {
    const title = `*${mrkdwnText(oneLine(label), 200)}*\n`;
    return mrkdwn(title + mrkdwnText(value, SLACK_LIMITS.fieldText - title.length));
  });
  const sections: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fields) {
    sections.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fields) });
  }
  return sections;
}

/** The link as text, when it cannot be a button: shown, never made into a link by us. */
function linkAsText(link: ComposedMessage['link']): SectionBlock {
  return section(mrkdwnText(`${link.label}: ${link.url}`, SLACK_LIMITS.sectionText));
}

export function slackPayload(message: ComposedMessage): SlackPayload {
  const blocks: KnownBlock[] = [
    header(message.subject),
    section(mrkdwnText(message.headline, SLACK_LIMITS.sectionText)),
  ];
  if (message.why !== null) blocks.push(section(mrkdwnText(message.why, SLACK_LIMITS.sectionText)));
  if (message.due !== null) {
    blocks.push(section(`*${mrkdwnText(upperFirst(message.due), SLACK_LIMITS.sectionText - 8)}*`));
  }
  blocks.push(...detailSections(message.details));
  const button = openButton(message.link, 'Open the task');
  if (button === null) blocks.push(linkAsText(message.link));
  else blocks.push({ type: 'actions', elements: [button] } satisfies ActionsBlock);
  // A message has at most 50 blocks; only an absurd number of details gets near it.
  return { text: fallbackText(message.subject), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/**
 * One section per item, its button beside it. Slack refuses a message of more than 50 blocks, so a
 * long digest shows the first items and says how many more wait in the console.
 */
export function slackDigestPayload(digest: ComposedDigest): SlackPayload {
  const blocks: KnownBlock[] = [
    header(digest.subject),
    section(mrkdwnText(digest.intro, SLACK_LIMITS.sectionText)),
  ];
  // Room for the header, the intro and, when needed, the "and N more" line.
  const fits = digest.items.length <= SLACK_LIMITS.blocks - 2 ? digest.items.length : SLACK_LIMITS.blocks - 3;
  for (const item of digest.items.slice(0, fits)) blocks.push(digestItem(item));
  const more = digest.items.length - fits;
  if (more > 0) blocks.push(section(moreInConsole(more, digest.items)));
  return { text: fallbackText(digest.subject), blocks };
}

function digestItem(item: ComposedMessage): SectionBlock {
  // Budgets that add up to less than the 3000 a section holds.
  const lines = [`*${mrkdwnText(oneLine(item.subject), 400)}*`, mrkdwnText(item.headline, 1800)];
  if (item.due !== null) lines.push(`*${mrkdwnText(upperFirst(item.due), 300)}*`);
  const button = openButton(item.link, 'Open');
  if (button === null) lines.push(mrkdwnText(`${item.link.label}: ${item.link.url}`, 400));
  const block = section(lines.join('\n'));
  return button === null ? block : { ...block, accessory: button };
}

function moreInConsole(more: number, items: readonly ComposedMessage[]): string {
  const what = more === 1 ? '1 more update' : `${more} more updates`;
  const url = items.map((item) => httpUrl(item.link.url)).find((u) => u !== null);
  // A link we build ourselves from a checked URL: `<url|label>` is Slack's link syntax.
  return url === undefined || url === null
    ? `…and ${what} in the console.`
    : `…and ${what} in <${escapeMrkdwn(new URL(url).origin)}/|the console>.`;
}

/** The top-level `text`: what a notification shows; Slack parses it as mrkdwn too. */
function fallbackText(subject: string): string {
  return mrkdwnText(oneLine(subject), SLACK_LIMITS.sectionText);
}

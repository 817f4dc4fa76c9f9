// A notice as a Microsoft Teams message: the body a Teams Workflows webhook ("When a Teams webhook
// request is received", then "Post card in a chat or channel") accepts, an Adaptive Card 1.5 in a
// message attachment. The interfaces below are the part of the Adaptive Card schema we use, so the
// card is typed end to end; test/support/chat-payloads.ts runs it through the reference parser.
//
// Teams reads TextBlock text and Fact titles and values as Markdown (`[label](url)` becomes a link,
// `**x**` bold). The title and the details are built from names (processes, policies, projects,
// people), so they use TextBlock and FactSet as usual; the sentences, which can quote what a person
// wrote in a comment, go in a RichTextBlock's TextRuns, which Adaptive Cards never read as Markdown.
// Only http(s) URLs become Action.OpenUrl; opening the console page never acts.
import type { ComposedDigest } from '../../../engine/notices/compose.js';
import type { ComposedMessage } from '../../../engine/notices/types.js';
import { httpUrl, upperFirst } from './email.js';
import { truncate } from './slack.js';

export interface TeamsPayload {
  type: 'message';
  attachments: [AdaptiveCardAttachment];
}

export interface AdaptiveCardAttachment {
  contentType: 'application/vnd.microsoft.card.adaptive';
  contentUrl: null;
  content: AdaptiveCard;
}

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: '1.5';
  /** Shown by a client that cannot render the card. */
  fallbackText: string;
  body: CardElement[];
  actions: OpenUrlAction[];
}

export type CardElement = TextBlock | RichTextBlock | FactSet | Container | ActionSet;

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  /** 'heading' (1.5) lets screen readers announce the title as a heading. */
  style?: 'default' | 'heading';
  weight?: 'Default' | 'Lighter' | 'Bolder';
  size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  isSubtle?: boolean;
}

/** Text without Markdown: TextRun text is shown exactly as written. */
export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: TextRun[];
}

export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Default' | 'Lighter' | 'Bolder';
  isSubtle?: boolean;
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  separator?: boolean;
  spacing?: 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
}

export interface ActionSet {
  type: 'ActionSet';
  actions: OpenUrlAction[];
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/**
 * Teams refuses a message above about 28 KB, so a digest shows this many items and says how many
 * more wait in the console; long sentences are cut for the same reason.
 */
export const TEAMS_DIGEST_ITEMS = 25;
const SENTENCE = 2000;
const NAME = 300;

function title(text: string): TextBlock {
  return {
    type: 'TextBlock',
    text: truncate(oneLine(text), NAME),
    wrap: true,
    style: 'heading',
    weight: 'Bolder',
    size: 'Medium',
  };
}

function sentence(text: string, options: { label?: string; max?: number } = {}): RichTextBlock {
  const value: TextRun = { type: 'TextRun', text: truncate(text, options.max ?? SENTENCE) };
  if (options.label === undefined) return { type: 'RichTextBlock', inlines: [value] };
  return {
    type: 'RichTextBlock',
    inlines: [{ type: 'TextRun', text: `${options.label} `, weight: 'Bolder' }, value],
  };
}

function facts(details: ComposedMessage['details']): FactSet {
  return {
    type: 'FactSet',
    facts: details.map(({ label, value }) => ({
      title: truncate(oneLine(label), NAME),
      value: truncate(value, NAME),
    })),
  };
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** The action that opens the console page, or null when the link is not a web address. */
function openAction(link: ComposedMessage['link'], fallbackLabel: string): OpenUrlAction | null {
  const url = httpUrl(link.url);
  if (url === null) return null;
  const label = link.label.trim() === '' ? fallbackLabel : link.label;
  return { type: 'Action.OpenUrl', title: truncate(oneLine(label), 80), url };
}

/** The link as text, when it cannot be an action: shown, never made into a link by us. */
function linkAsText(link: ComposedMessage['link']): RichTextBlock {
  return sentence(link.url, { label: `${link.label}:` });
}

function envelope(card: Omit<AdaptiveCard, '$schema' | 'type' | 'version'>): TeamsPayload {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.5',
          ...card,
        },
      },
    ],
  };
}

export function teamsPayload(message: ComposedMessage): TeamsPayload {
  const body: CardElement[] = [title(message.subject), sentence(message.headline)];
  if (message.why !== null) body.push(sentence(message.why));
  if (message.due !== null) body.push(sentence(upperFirst(message.due), { max: NAME }));
  if (message.details.length > 0) body.push(facts(message.details));
  const action = openAction(message.link, 'Open the task');
  if (action === null) body.push(linkAsText(message.link));
  return envelope({
    fallbackText: truncate(oneLine(message.subject), NAME),
    body,
    actions: action === null ? [] : [action],
  });
}

/** One container per item, each with its own button; the items past TEAMS_DIGEST_ITEMS are counted. */
export function teamsDigestPayload(digest: ComposedDigest): TeamsPayload {
  const body: CardElement[] = [title(digest.subject), sentence(digest.intro)];
  for (const item of digest.items.slice(0, TEAMS_DIGEST_ITEMS)) body.push(digestItem(item));
  const more = digest.items.length - TEAMS_DIGEST_ITEMS;
  const actions: OpenUrlAction[] = [];
  if (more > 0) {
    body.push(sentence(`…and ${more === 1 ? '1 more update' : `${more} more updates`} in the console.`));
    const url = digest.items.map((item) => httpUrl(item.link.url)).find((u) => u !== null);
    if (url !== undefined && url !== null) {
      actions.push({ type: 'Action.OpenUrl', title: 'Open the console', url: `${new URL(url).origin}/` });
    }
  }
  return envelope({ fallbackText: truncate(oneLine(digest.subject), NAME), body, actions });
}

function digestItem(item: ComposedMessage): Container {
  const items: CardElement[] = [
    {
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: truncate(oneLine(item.subject), NAME), weight: 'Bolder' }],
    },
    sentence(item.headline, { max: 500 }),
  ];
  if (item.due !== null) items.push(sentence(upperFirst(item.due), { max: NAME }));
  const action = openAction(item.link, 'Open');
  items.push(action === null ? linkAsText(item.link) : { type: 'ActionSet', actions: [action] });
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

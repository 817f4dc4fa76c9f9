// Checks that a chat payload is one the service would take, for unit and integration tests alike.
//
// Slack: @slack/types gives the compile-time shape; Slack's run-time rules (lengths, counts, which
// characters mrkdwn reads as markup) are not in the types, so the ones our formats rely on are
// written out here from the Block Kit reference. Teams: the card goes through the reference parser
// (the adaptivecards package, the renderer Microsoft ships), plus the envelope a Workflows webhook
// expects and the rules the parser does not check (required text, http(s) URLs).
// Each returns the problems found, empty when the payload is fine, so a failing test says what broke.
import { createRequire } from 'node:module';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isHttpUrl = (value: unknown): boolean =>
  typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value);

// --- Slack ---------------------------------------------------------------------------------------

/**
 * mrkdwn that shows what it says: every `&` starts an entity and every `<` opens a well-formed
 * http(s) link. A raw `<` or `&` from a value would be read as markup (a link, `<!channel>`).
 */
function mrkdwnProblems(where: string, text: string): string[] {
  const problems: string[] = [];
  const withoutLinks = text.replace(/<https?:\/\/[^\s|<>]+(\|[^<>]*)?>/g, '');
  if (/[<>]/.test(withoutLinks)) problems.push(`${where}: raw < or > outside a link`);
  if (/&(?!(amp|lt|gt);)/.test(text)) problems.push(`${where}: & that is not &amp; &lt; or &gt;`);
  return problems;
}

function textObjectProblems(where: string, value: unknown, max: number, kinds: string[]): string[] {
  if (!isObject(value)) return [`${where}: not a text object`];
  if (typeof value.type !== 'string' || !kinds.includes(value.type)) {
    return [`${where}: type ${String(value.type)}, expected ${kinds.join(' or ')}`];
  }
  if (typeof value.text !== 'string' || value.text.length === 0) return [`${where}: empty text`];
  const problems =
    value.text.length > max ? [`${where}: ${value.text.length} characters, at most ${max}`] : [];
  if (value.type === 'mrkdwn') problems.push(...mrkdwnProblems(where, value.text));
  return problems;
}

function buttonProblems(where: string, button: unknown): string[] {
  if (!isObject(button) || button.type !== 'button') return [`${where}: not a button`];
  const problems = textObjectProblems(`${where}.text`, button.text, 75, ['plain_text']);
  if (button.url !== undefined) {
    if (!isHttpUrl(button.url)) problems.push(`${where}.url: not an http(s) URL`);
    else if ((button.url as string).length > 3000) problems.push(`${where}.url: longer than 3000`);
  }
  return problems;
}

function slackBlockProblems(where: string, block: unknown): string[] {
  if (!isObject(block)) return [`${where}: not an object`];
  switch (block.type) {
    case 'header':
      return textObjectProblems(`${where}.text`, block.text, 150, ['plain_text']);
    case 'section': {
      if (block.text === undefined && block.fields === undefined)
        return [`${where}: neither text nor fields`];
      const problems: string[] = [];
      if (block.text !== undefined) {
        problems.push(...textObjectProblems(`${where}.text`, block.text, 3000, ['mrkdwn', 'plain_text']));
      }
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > 10) {
          problems.push(`${where}.fields: 1 to 10 fields`);
        } else {
          block.fields.forEach((field: unknown, i) =>
            problems.push(
              ...textObjectProblems(`${where}.fields[${i}]`, field, 2000, ['mrkdwn', 'plain_text']),
            ),
          );
        }
      }
      if (block.accessory !== undefined)
        problems.push(...buttonProblems(`${where}.accessory`, block.accessory));
      return problems;
    }
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) {
        return [`${where}.elements: 1 to 25 elements`];
      }
      return block.elements.flatMap((element: unknown, i) =>
        buttonProblems(`${where}.elements[${i}]`, element),
      );
    }
    case 'divider':
      return [];
    default:
      return [`${where}: block type ${String(block.type)} is not one our formats use`];
  }
}

/** What an incoming webhook takes: a fallback `text` and at most 50 valid blocks. */
export function validateSlackPayload(payload: unknown): string[] {
  if (!isObject(payload)) return ['payload: not an object'];
  const problems: string[] = [];
  if (typeof payload.text !== 'string' || payload.text.length === 0)
    problems.push('text: missing fallback text');
  else problems.push(...mrkdwnProblems('text', payload.text));
  if (!Array.isArray(payload.blocks) || payload.blocks.length === 0) return [...problems, 'blocks: none'];
  if (payload.blocks.length > 50) problems.push(`blocks: ${payload.blocks.length}, at most 50`);
  payload.blocks.forEach((block: unknown, i) => problems.push(...slackBlockProblems(`blocks[${i}]`, block)));
  return problems;
}

// --- Teams ---------------------------------------------------------------------------------------

/** The part of the adaptivecards package the check uses (its own types pull in the DOM). */
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(source: unknown, context: ParseContext): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => ParseContext;
}
interface ParseContext {
  readonly eventCount: number;
  getEventAt(index: number): { message: string };
}

// The bundled build: it runs in Node without a DOM for parsing and validation.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/** The reference parser's complaints about a card: unknown types, invalid values, missing fields. */
export function adaptiveCardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents)
    problems.push(`validate: ${event.message}`);
  return problems;
}

/** Rules the parser lets pass: text where text is required, and only http(s) links. */
function cardRuleProblems(where: string, node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => cardRuleProblems(`${where}[${i}]`, item));
  if (!isObject(node)) return [];
  const problems: string[] = [];
  if (
    (node.type === 'TextBlock' || node.type === 'TextRun') &&
    (typeof node.text !== 'string' || node.text === '')
  ) {
    problems.push(`${where}: ${node.type} without text`);
  }
  if (node.type === 'Action.OpenUrl' && !isHttpUrl(node.url))
    problems.push(`${where}.url: not an http(s) URL`);
  if (node.type === 'FactSet') {
    const facts = Array.isArray(node.facts) ? (node.facts as unknown[]) : [];
    facts.forEach((fact, i) => {
      if (!isObject(fact) || typeof fact.title !== 'string' || typeof fact.value !== 'string') {
        problems.push(`${where}.facts[${i}]: needs a title and a value`);
      }
    });
  }
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'object' && value !== null)
      problems.push(...cardRuleProblems(`${where}.${key}`, value));
  }
  return problems;
}

/** What a Teams Workflows webhook posts as a card: one Adaptive Card 1.5 attachment in a message. */
export function validateTeamsPayload(payload: unknown): string[] {
  if (!isObject(payload)) return ['payload: not an object'];
  const problems: string[] = [];
  if (payload.type !== 'message') problems.push('type: must be "message"');
  if (!Array.isArray(payload.attachments) || payload.attachments.length !== 1) {
    return [...problems, 'attachments: exactly one card expected'];
  }
  const [attachment] = payload.attachments as unknown[];
  if (!isObject(attachment)) return [...problems, 'attachments[0]: not an object'];
  if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') {
    problems.push('attachments[0].contentType: must be application/vnd.microsoft.card.adaptive');
  }
  if (attachment.contentUrl !== null) problems.push('attachments[0].contentUrl: must be null');
  const card = attachment.content;
  if (!isObject(card)) return [...problems, 'attachments[0].content: no card'];
  if (card.type !== 'AdaptiveCard') problems.push('card.type: must be AdaptiveCard');
  if (card.version !== '1.5') problems.push(`card.version: ${String(card.version)}, expected 1.5`);
  problems.push(...adaptiveCardProblems(card), ...cardRuleProblems('card', card));
  return problems;
}

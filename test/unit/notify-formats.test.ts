// The mail, Slack and Teams layouts of a notice: every value escaped for its channel, links only to
// http(s) addresses, the text part carrying what the HTML says, Slack's limits kept by cutting, and
// every Slack and Teams payload accepted by the checks of test/support/chat-payloads.ts (Slack's
// Block Kit rules, the Adaptive Cards reference parser). The checks are shown to fail on bad payloads.
import type { SectionBlock } from '@slack/types';
import type { ComposedMessage } from '../../engine/notices/types.js';
import { escapeHtml, renderDigestMail, renderMail } from '../../workflows/notify/format/email.js';
import { type SlackPayload, slackDigestPayload, slackPayload } from '../../workflows/notify/format/slack.js';
import {
  type CardElement,
  type TeamsPayload,
  TEAMS_DIGEST_ITEMS,
  teamsDigestPayload,
  teamsPayload,
} from '../../workflows/notify/format/teams.js';
import { validateSlackPayload, validateTeamsPayload } from '../support/chat-payloads.js';

const HOSTILE =
  'Bob <script>alert("x")</script> asked you to "approve" & <!channel> it\'s [here](https://evil.example)';

const message = (over: Partial<ComposedMessage> = {}): ComposedMessage => ({
  subject: 'Approval needed: cab_review for change-request on Apollo',
  headline: HOSTILE,
  why: 'The change is high risk: risk > 3 & budget < 10k',
  due: 'due in 2 working days, Mon 7 Dec 2026, 17:00 (Europe/Berlin)',
  details: [
    { label: 'Process', value: 'change-request' },
    { label: 'Project', value: 'Apollo <b>bold</b>' },
    { label: 'Requester', value: 'alice@example.com' },
  ],
  link: { url: 'https://charter.example/tasks/i-1/cab_review', label: 'Open the task' },
  ...over,
});

const EVIL_LINKS = [
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  'data:text/html,<b>x</b>',
  '/relative/path',
];

const long = (n: number, unit = 'x'): string => unit.repeat(n);

const longMessage = message({
  subject: long(400, 'Long subject '),
  headline: long(5000, '<&>'),
  why: long(4000, 'why '),
  due: long(3500, 'd'),
  details: Array.from({ length: 15 }, (_, i) => ({ label: `Label ${i} <x>`, value: long(2500, '&') })),
});

const digest = (n: number) => ({
  subject: `Charter: ${n} updates since Friday`,
  intro: 'What happened while you were away <3',
  items: Array.from({ length: n }, (_, i) =>
    message({
      subject: `Item ${i} & co`,
      link: { url: `https://charter.example/tasks/i-${i}/t`, label: 'Open' },
    }),
  ),
});

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');

describe('mail', () => {
  test('when a value holds markup, then the HTML shows it as text and never as a tag or attribute', () => {
    const { html } = renderMail(message());
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"approve"');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('it&#39;s');
    expect(html).toContain('Apollo &lt;b&gt;bold&lt;/b&gt;');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  test('when the link is a web address, then it is the one button and the footer points at the preferences', () => {
    const { html, subject } = renderMail(message());
    expect(subject).toBe('Approval needed: cab_review for change-request on Apollo');
    expect(html).toContain('<html lang="en">');
    expect(hrefs(html)).toEqual([
      'https://charter.example/tasks/i-1/cab_review',
      'https://charter.example/settings/notifications',
    ]);
    expect(html).toMatch(
      /<a href="https:\/\/charter\.example\/tasks\/i-1\/cab_review"[^>]*>Open the task<\/a>/,
    );
    expect(html).toMatch(/<th scope="row"[^>]*>Project<\/th>/);
    expect(html).not.toMatch(/<(style|script|img|link)\b/);
  });

  test.each(EVIL_LINKS)('when the link is %j, then no href carries it and it is shown as text', (url) => {
    const { html, text } = renderMail(message({ link: { url, label: 'Open the task' } }));
    expect(hrefs(html)).toEqual([]);
    expect(html).toContain(`Open the task: ${escapeHtml(url)}`);
    expect(text.split('\n')).toContain(url);
    expect(html).toContain('under Settings, Notifications');
  });

  test('when rendered as text, then the same content comes in plain words with each URL on its own line', () => {
    const { text } = renderMail(message());
    const lines = text.split('\n');
    expect(lines).toContain(HOSTILE);
    expect(lines).toContain('The change is high risk: risk > 3 & budget < 10k');
    expect(lines).toContain('Due in 2 working days, Mon 7 Dec 2026, 17:00 (Europe/Berlin)');
    expect(lines).toContain('Project: Apollo <b>bold</b>');
    expect(lines).toContain('https://charter.example/tasks/i-1/cab_review');
    expect(lines).toContain('https://charter.example/settings/notifications');
    expect(text).not.toContain('&lt;');
  });

  test('when why and due are absent, then neither leaves an empty line or label behind', () => {
    const { text, html } = renderMail(message({ why: null, due: null, details: [] }));
    expect(text).not.toMatch(/due in/i);
    expect(html).not.toMatch(/due in/i);
    expect(html).not.toContain('<table');
    expect(text).not.toMatch(/\n\n\n/);
  });

  test('when a subject holds line breaks, then the mail subject is one line', () => {
    expect(renderMail(message({ subject: 'Approval\r\nBcc: x@example.com' })).subject).toBe(
      'Approval Bcc: x@example.com',
    );
  });

  test('when a digest is rendered, then every item has its heading and link and the footer comes once', () => {
    const { html, text, subject } = renderDigestMail(digest(3));
    expect(subject).toBe('Charter: 3 updates since Friday');
    expect(html).toContain('What happened while you were away &lt;3');
    for (let i = 0; i < 3; i += 1) {
      expect(html).toContain(
        `<h2 style="margin:0 0 8px 0;font-size:18px;line-height:1.3;color:#1f2328">Item ${i} &amp; co</h2>`,
      );
      expect(text.split('\n')).toContain(`https://charter.example/tasks/i-${i}/t`);
    }
    expect(html.match(/settings\/notifications/g)).toHaveLength(2); // href and its visible text
    expect(text.match(/settings\/notifications/g)).toHaveLength(1);
    expect(html).not.toContain('<script>');
  });
});

describe('Slack', () => {
  const sectionTexts = (blocks: ReturnType<typeof slackPayload>['blocks']): string[] =>
    blocks.flatMap((b) => (b.type === 'section' && b.text !== undefined ? [b.text.text] : []));

  test.each<[string, SlackPayload]>([
    ['a notice', slackPayload(message())],
    ['a notice without why, due or details', slackPayload(message({ why: null, due: null, details: [] }))],
    ['a notice with every value too long', slackPayload(longMessage)],
    ...EVIL_LINKS.map((url): [string, SlackPayload] => [
      `a notice linking ${url}`,
      slackPayload(message({ link: { url, label: 'Open' } })),
    ]),
    ['a digest', slackDigestPayload(digest(3))],
    ['a digest of 48 items', slackDigestPayload(digest(48))],
    ['a digest of 120 items', slackDigestPayload(digest(120))],
  ])('when %s is formatted, then Slack would take it', (_what, payload) => {
    expect(validateSlackPayload(payload)).toEqual([]);
  });

  test('when values hold &, < and >, then mrkdwn carries entities and no raw control character', () => {
    const payload = slackPayload(message());
    const texts = sectionTexts(payload.blocks);
    expect(texts).toContain(
      'Bob &lt;script&gt;alert("x")&lt;/script&gt; asked you to "approve" &amp; &lt;!channel&gt; it\'s [here](https://evil.example)',
    );
    expect(texts).toContain('The change is high risk: risk &gt; 3 &amp; budget &lt; 10k');
    expect(JSON.stringify(payload)).not.toContain('<!channel>');
    const fields = payload.blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []) : []));
    expect(fields.map((f) => f.text)).toContain('*Project*\nApollo &lt;b&gt;bold&lt;/b&gt;');
  });

  test('when the subject is long, then the header is cut to 150 characters with an ellipsis', () => {
    const [header] = slackPayload(longMessage).blocks;
    expect(header?.type).toBe('header');
    const text = header?.type === 'header' ? header.text.text : '';
    expect(text.length).toBeLessThanOrEqual(150);
    expect(text.endsWith('…')).toBe(true);
    expect(text.startsWith('Long subject Long subject')).toBe(true);
  });

  test('when a text is cut, then it never ends inside an entity', () => {
    const texts = sectionTexts(slackPayload(longMessage).blocks);
    const headline = texts[0] ?? '';
    expect(headline.length).toBeLessThanOrEqual(3000);
    expect(headline).toMatch(/^(&lt;&amp;&gt;)+(&lt;|&lt;&amp;)?…$/);
  });

  test('when there are 15 details, then they come as fields of at most ten, none above 2000 characters', () => {
    const sections = slackPayload(longMessage).blocks.filter(
      (b): b is SectionBlock => b.type === 'section' && b.fields !== undefined,
    );
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 5]);
    for (const field of sections.flatMap((s) => s.fields ?? []))
      expect(field.text.length).toBeLessThanOrEqual(2000);
  });

  test('when the link is a web address, then one button opens it', () => {
    const actions = slackPayload(message()).blocks.filter((b) => b.type === 'actions');
    expect(actions).toEqual([
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open the task' },
            url: 'https://charter.example/tasks/i-1/cab_review',
          },
        ],
      },
    ]);
  });

  test.each(EVIL_LINKS)('when the link is %j, then no button carries it', (url) => {
    const payload = slackPayload(message({ link: { url, label: 'Open the task' } }));
    expect(payload.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(sectionTexts(payload.blocks).some((t) => t.startsWith('Open the task: '))).toBe(true);
  });

  test('when a digest has 120 items, then 47 are shown and the rest counted, within 50 blocks', () => {
    const { blocks } = slackDigestPayload(digest(120));
    expect(blocks).toHaveLength(50);
    const items = blocks.filter((b) => b.type === 'section' && b.accessory !== undefined);
    expect(items).toHaveLength(47);
    expect(sectionTexts(blocks).at(-1)).toBe(
      '…and 73 more updates in <https://charter.example/|the console>.',
    );
  });

  test('when a digest has 48 items, then all fit and nothing is counted', () => {
    const { blocks } = slackDigestPayload(digest(48));
    expect(blocks).toHaveLength(50);
    expect(sectionTexts(blocks).some((t) => t.includes('more update'))).toBe(false);
  });

  test('when a payload breaks the rules, then the check says where', () => {
    const problems = validateSlackPayload({
      text: 'a <b> & c',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: long(151) } },
        { type: 'section', text: { type: 'mrkdwn', text: '<script>' } },
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) },
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Go' }, url: 'javascript:x' }],
        },
        { type: 'bogus' },
      ],
    });
    expect(problems).toEqual([
      'text: raw < or > outside a link',
      'text: & that is not &amp; &lt; or &gt;',
      'blocks[0].text: 151 characters, at most 150',
      'blocks[1].text: raw < or > outside a link',
      'blocks[2].fields: 1 to 10 fields',
      'blocks[3].elements[0].url: not an http(s) URL',
      'blocks[4]: block type bogus is not one our formats use',
    ]);
    expect(
      validateSlackPayload({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    ).toEqual(['blocks: 51, at most 50']);
  });
});

describe('Teams', () => {
  const card = (payload: TeamsPayload) => payload.attachments[0].content;
  /** The text of every TextRun in the card, in order. */
  const runs = (payload: TeamsPayload): string[] => {
    const walk = (elements: CardElement[]): string[] =>
      elements.flatMap((e) => {
        if (e.type === 'RichTextBlock') return e.inlines.map((run) => run.text);
        if (e.type === 'Container') return walk(e.items);
        return [];
      });
    return walk(card(payload).body);
  };

  test.each<[string, TeamsPayload]>([
    ['a notice', teamsPayload(message())],
    ['a notice without why, due or details', teamsPayload(message({ why: null, due: null, details: [] }))],
    ['a notice with every value too long', teamsPayload(longMessage)],
    ...EVIL_LINKS.map((url): [string, TeamsPayload] => [
      `a notice linking ${url}`,
      teamsPayload(message({ link: { url, label: 'Open' } })),
    ]),
    ['a digest', teamsDigestPayload(digest(3))],
    ['a digest of 40 items', teamsDigestPayload(digest(40))],
  ])(
    'when %s is formatted, then the reference parser and the webhook envelope accept it',
    (_what, payload) => {
      expect(validateTeamsPayload(payload)).toEqual([]);
    },
  );

  test('when a notice is formatted, then it is a titled card with the sentences as plain runs, facts and one action', () => {
    const payload = teamsPayload(message());
    expect(payload.type).toBe('message');
    expect(payload.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const content = card(payload);
    expect(content.version).toBe('1.5');
    expect(content.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Approval needed: cab_review for change-request on Apollo',
      wrap: true,
      weight: 'Bolder',
    });
    // TextRuns are never read as Markdown, so the hostile sentence is shown exactly as written.
    expect(runs(payload)).toEqual(
      expect.arrayContaining([HOSTILE, 'Due in 2 working days, Mon 7 Dec 2026, 17:00 (Europe/Berlin)']),
    );
    expect(content.body).toContainEqual({
      type: 'FactSet',
      facts: [
        { title: 'Process', value: 'change-request' },
        { title: 'Project', value: 'Apollo <b>bold</b>' },
        { title: 'Requester', value: 'alice@example.com' },
      ],
    });
    expect(content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the task', url: 'https://charter.example/tasks/i-1/cab_review' },
    ]);
  });

  test.each(EVIL_LINKS)('when the link is %j, then no action opens it and it is shown as text', (url) => {
    const payload = teamsPayload(message({ link: { url, label: 'Open the task' } }));
    expect(JSON.stringify(card(payload))).not.toContain('Action.OpenUrl');
    expect(runs(payload)).toContain(url);
  });

  test('when a digest has 40 items, then 25 are shown, each with its action, and the rest counted', () => {
    const content = card(teamsDigestPayload(digest(40)));
    const containers = content.body.filter((e) => e.type === 'Container');
    expect(containers).toHaveLength(TEAMS_DIGEST_ITEMS);
    expect(JSON.stringify(containers[3])).toContain('https://charter.example/tasks/i-3/t');
    expect(JSON.stringify(content.body.at(-1))).toContain('…and 15 more updates in the console.');
    expect(content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the console', url: 'https://charter.example/' },
    ]);
  });

  test('when a card is broken, then the check reports it', () => {
    const broken = teamsPayload(message());
    const content = card(broken) as unknown as { body: unknown[]; actions: unknown[] };
    content.body.push({ type: 'Bogus', text: 'x' }, { type: 'TextBlock', text: 'x', weight: 'Heavy' });
    content.actions.push({ type: 'Action.OpenUrl', title: 'Go', url: 'javascript:alert(1)' });
    const problems = validateTeamsPayload(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Unknown element type "Bogus"'),
        expect.stringContaining('Invalid value "Heavy" for property "weight"'),
        expect.stringMatching(/actions\[1\]\.url: not an http\(s\) URL/),
      ]),
    );
    expect(validateTeamsPayload({ type: 'message', attachments: [] })).toEqual([
      'attachments: exactly one card expected',
    ]);
  });
});

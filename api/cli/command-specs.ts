// What each API client command accepts and how its help reads. main.ts parses by these specs (with
// the options every command takes) and prints their help, so the help lists exactly the options
// the parser accepts.
import type { CommandSpec, OptionSpec, OptionSpecs } from '../../dsl/cli/usage.js';

/** Taken by every client command (audit export reads --format as csv|jsonl instead). */
export const COMMON_OPTIONS: OptionSpecs = {
  format: {
    type: 'string',
    default: 'text',
    value: 'text|json',
    help: 'a summary, or the API answer as JSON',
  },
  'idempotency-key': {
    type: 'string',
    value: 'K',
    help: 'send K as the Idempotency-Key, so that repeating the command is safe (default: random)',
  },
};

const text = (value: string, help: string): OptionSpec => ({ type: 'string', value, help });
const PAGING: OptionSpecs = {
  limit: text('N', 'at most N items per page'),
  cursor: text('C', 'the page after cursor C (printed under a page that has more)'),
  all: { type: 'boolean', help: 'follow the cursors and list every page' },
};
const BEHALF: OptionSpecs = {
  'on-behalf-of': text('P', 'act for P, whose stand-in you are (see `charter delegate`)'),
};
const AUDIT_FILTERS: OptionSpecs = {
  instance: text('I', 'events of one instance'),
  project: text('P', 'events of one project'),
  from: text('D', 'events at or after D (ISO date or date-time)'),
  to: text('D', 'events before D'),
  type: text('T', 'one type of event, e.g. task.decided'),
};

/** One client command: its help, the options it adds, the one-line summary for `charter --help`. */
export interface ClientCommand extends CommandSpec {
  summary: string;
}

const command = (
  name: string,
  synopsis: string,
  summary: string,
  description: string,
  options: OptionSpecs = {},
): ClientCommand => ({
  name,
  synopsis,
  summary,
  description,
  options,
  exit: '0 done, 1 the API refused or could not be reached, 2 usage error',
});

export const TOKEN_SPECS: readonly ClientCommand[] = [
  command(
    'token issue',
    '--roles R[,R...] --label L [--person P] [--days N | --never-expires]',
    'issue an API token (admins: to anyone; others: to themselves)',
    'Issues an API token and prints its text once (the API keeps only its hash). Admins issue to ' +
      'any known, active person of the directory with any roles; everyone else to themselves, with ' +
      'roles they have. It expires after 90 days unless --days says otherwise; --never-expires is ' +
      "for admins. Issuing is recorded on the audit ledger's admin chain.",
    {
      roles: text('R', 'comma-separated roles: author, requester, approver, auditor, pmo, admin (required)'),
      label: text('L', 'what the token is for, e.g. "laptop CLI" (required)'),
      person: text('P', 'whose token (admins); yourself when omitted'),
      days: text('N', 'days until it stops working (default 90)'),
      'never-expires': { type: 'boolean', help: 'a token that does not expire (admins)' },
    },
  ),
  command(
    'token list',
    '[--person P] [--limit N] [--cursor C]',
    'list API tokens and whether each still works',
    "Lists API tokens by id, revoked and expired ones too: admins everyone's (or --person P's), " +
      'everyone else their own. Never the token text.',
    { person: text('P', "one person's tokens (admins)"), limit: PAGING['limit']!, cursor: PAGING['cursor']! },
  ),
  command(
    'token revoke',
    '<id>',
    'revoke an API token by its id',
    'Revokes a token by the id `token list` shows (admins any, everyone else their own); it stops ' +
      "working at once. Revoking again changes nothing. Recorded on the audit ledger's admin chain.",
  ),
];

export const ROLE_SPECS: readonly ClientCommand[] = [
  {
    name: 'roles show',
    synopsis: '<person>',
    summary: 'the roles granted to a person (admins, auditors; anyone their own)',
    description:
      'Prints the roles an admin granted the person, who changed them last and when. Single sign-on ' +
      'gives a person these roles together with those their groups map to (CHARTER_OIDC_ROLES).',
    options: {},
    exit: '0 done, 1 the API refused or could not be reached, 2 usage error',
  },
  {
    name: 'roles set',
    synopsis: '<person> <role>... | <person> --none',
    summary: 'set the roles granted to a person (admins)',
    description:
      'Sets every role the person is to have (admins): author, requester, approver, auditor, pmo, ' +
      'admin. Taking a role away ends all their browser sessions and revokes their live tokens that ' +
      "carry it, at once. Each change is an event on the audit ledger's admin chain.",
    options: { none: { type: 'boolean', help: 'take every granted role away' } },
    exit: '0 done, 1 the API refused or could not be reached, 2 usage error',
  },
];

export const CLIENT_SPECS: readonly ClientCommand[] = [
  command(
    'whoami',
    '',
    'the person and roles of your token',
    'Prints who CHARTER_TOKEN belongs to and their roles.',
  ),
  command(
    'publish',
    '<file.charter>',
    'publish a policy with the libraries it uses',
    'Publishes a policy, with the libraries it uses, as a new immutable version (authors). The ' +
      'server checks it like `charter check`; the same text published again is "unchanged".',
  ),
  command(
    'retire',
    '<policy> [--version N] --reason R',
    'retire a policy version (or the whole policy) for new instances',
    'Retires one published version of a policy (--version N), or the whole policy, so that no new ' +
      'instance starts under it (pmo, admin). Running instances finish on their version; retiring ' +
      'the version in force puts the one before it back in force (the newest effective version ' +
      'not retired). A retirement is final; retiring again answers "unchanged".',
    {
      version: text('N', 'only version N (default: the whole policy)'),
      reason: text('R', 'why, e.g. what replaces it (required)'),
    },
  ),
  {
    ...command(
      'impact',
      '<file.charter> [--policy NAME] [--base V] [--last N]',
      'what a candidate version would change for past instances',
      'Replays the last N finished instances of the version in force (or --base V), with the acts ' +
        'their ledgers recorded, through the candidate in the file (and the libraries it uses) and ' +
        'lists instance by instance the outcomes, approvers, deadlines and escalations that would ' +
        'differ, and who it would still wait for (author, pmo, admin). For CI before `charter publish`.',
      {
        policy: text('NAME', 'the policy to compare against (default: the name the file declares)'),
        base: text('V', 'the version to replay (default: the version in force)'),
        last: text('N', 'how many finished instances, newest first, 1 to 2000 (default 200)'),
      },
    ),
    exit: '0 nothing differs, 1 something differs, would wait or was not replayed (or the API refused), 2 usage error',
  },
  command(
    'start',
    '<policy> <process> --input in.json',
    'start an instance of a process',
    'Starts an instance of a process of the current version of a policy, with the input read ' +
      'from a JSON file; a wrong input is refused with field paths.',
    { input: text('in.json', 'the process input, a JSON object (required)') },
  ),
  command(
    'instances',
    '[--status S] [--policy P] [--limit N] [--cursor C] [--all]',
    'instances you may see',
    'Lists the instances you may see, newest first.',
    {
      ...PAGING,
      status: text('S', 'only instances in status S'),
      policy: text('P', 'only instances of policy P'),
    },
  ),
  command(
    'instance',
    '<id>',
    'one instance: status, current steps, blocked on',
    'Shows one instance: its status, current steps, what it is blocked on and when it is due.',
  ),
  command(
    'inbox',
    '[--limit N] [--cursor C] [--all]',
    'tasks waiting for you (or for people you stand in for)',
    'Lists the tasks waiting for you, and for the people you stand in for, with their deadlines.',
    PAGING,
  ),
  command(
    'notifications',
    '[--unread] [--limit N] [--cursor C] [--all]',
    'what Charter told you (the bell in the console)',
    'Lists your notifications, newest first: what happened, when it is due, and the console page it is about.',
    { unread: { type: 'boolean', help: 'only those not read yet' }, ...PAGING },
  ),
  command(
    'mark-read',
    '<notification-id> | --all',
    'mark notifications read',
    'Marks one notification read, or every unread one with --all.',
    { all: { type: 'boolean', help: 'every unread notification' } },
  ),
  command(
    'approve',
    '<task-id> [--reason R] [--on-behalf-of P]',
    'approve a task',
    'Approves a task assigned to you (or to someone you stand in for).',
    { reason: text('R', 'why, for the requester and the auditors'), ...BEHALF },
  ),
  command(
    'reject',
    '<task-id> --reason R [--on-behalf-of P]',
    'reject a task, saying why',
    'Rejects a task assigned to you; the reason is required and shown to the requester and auditors.',
    { reason: text('R', 'why (required)'), ...BEHALF },
  ),
  command(
    'waive',
    '<task-id> --reason R [--on-behalf-of P]',
    'waive a failed check (waiver tasks)',
    'Waives a failed check through its waiver task, for the time the policy allows.',
    { reason: text('R', 'why the check may be waived (required)'), ...BEHALF },
  ),
  command(
    'attest',
    '<task-id> [--evidence E] [--on-behalf-of P]',
    'attest what an attestation task asks',
    'Attests the statement of an attestation task, with evidence where the policy asks for it.',
    { evidence: text('E', 'a link to or description of the evidence'), ...BEHALF },
  ),
  command(
    'delegate',
    '<task-id> --to P --for 7d|36h',
    'let P act for you a while (or --until <date-time>)',
    'Lets P act on your tasks for a while, counted from now (--for) or up to a date-time (--until).',
    {
      to: text('P', 'the stand-in (required)'),
      for: text('7d|36h', 'for this long, in days or hours'),
      until: text('T', 'until this ISO date-time instead'),
    },
  ),
  command(
    'comment',
    '<task-id> --text "..."',
    'comment; mentioned people are notified',
    'Comments on a task; people mentioned as @name@example.com are notified.',
    { text: text('"..."', 'the comment (required)') },
  ),
  command(
    'audit query',
    '[--instance I] [--project P] [--from D] [--to D] [--type T]',
    'audit events, newest first',
    'Lists audit events matching the filters, newest first (auditors).',
    { ...PAGING, ...AUDIT_FILTERS },
  ),
  command(
    'audit export',
    '--format csv|jsonl [filters] > file | --tree > file',
    'every matching event as CSV or JSON lines',
    "Streams every audit event matching the filters as CSV or JSON lines, for an auditor's tools. " +
      'With --tree: every event as JSON lines in Merkle leaf order, for `audit verify --offline`.',
    {
      ...AUDIT_FILTERS,
      format: text('csv|jsonl', 'the file format (required without --tree)'),
      tree: { type: 'boolean', help: 'the whole ledger in leaf order with leafIndex (no filters)' },
    },
  ),
  command(
    'audit verify',
    '[--instance I] | --offline export.jsonl --head head.json --public-key key.pem[,old.pem] [--since older.json] | --evidence bundle.json [--public-key key.pem]',
    "check the ledger's hash chains and tree (exit 1 if broken)",
    "Checks the audit ledger's hash chains (or one instance's) and, for the whole ledger, its Merkle " +
      'tree against the newest signed head; says where the first break is. With --offline, checks ' +
      'an export (`audit export --tree`) against a head you kept, with no server: every hash, every ' +
      'chain, the root, and consistency with an older head. With --evidence, checks an evidence ' +
      "bundle: the head's signature, the policy's hashes, the events and their inclusion proofs.",
    {
      instance: text('I', 'only the chain of this instance'),
      offline: text('FILE', 'an export in leaf order to check with no server'),
      head: text('FILE', 'the signed head to check the export against (from `audit checkpoint`)'),
      'public-key': text('FILES', 'the public key(s) the heads were signed with, PEM, comma-separated'),
      since: text('FILE', 'an older signed head the export must also be consistent with'),
      evidence: text('FILE', 'an evidence bundle to check with no server (`audit evidence`)'),
    },
  ),
  command(
    'audit evidence',
    '--instance I [--out bundle.json]',
    "an instance's evidence bundle: policy, events, proofs, signed head",
    "Downloads an instance's evidence bundle: the policy's IR and sources, the instance's events, " +
      'their inclusion proofs and the signed head they are proved against, in one JSON file.',
    {
      instance: text('I', 'the instance (required)'),
      out: text('FILE', 'where to write the bundle; stdout without it'),
    },
  ),
  command(
    'audit checkpoint',
    '[--out head.json] [--public-key key.pem]',
    'save the newest signed tree head, checked, to keep outside Charter',
    "Fetches the ledger's newest signed tree head, checks its Ed25519 signature with the key it " +
      'names, and writes it (and, with --public-key, that key) to files the auditor keeps outside ' +
      'Charter. Exit 1 when the signature does not check out.',
    {
      out: text('FILE', 'where to write the head (JSON); stdout without it'),
      'public-key': text('FILE', 'where to write the public key (PEM)'),
    },
  ),
  command(
    'monitors',
    '',
    "the policies' monitors: schedule, paused or not, last run",
    'Lists every monitor of the policy versions in force: when it runs, whether its schedule is ' +
      'paused (and why), its next run, its last run and its live findings.',
  ),
  command(
    'monitor pause',
    '<policy> <monitor> --note N',
    "pause a monitor's schedule (admins)",
    "Pauses a monitor's schedule (admins). Runs missed while it is paused are not made up; " +
      '`monitor backfill` judges past days. The note is kept with the schedule and in the ledger.',
    { note: text('N', 'why it is paused (required)') },
  ),
  command(
    'monitor resume',
    '<policy> <monitor> [--note N]',
    "resume a paused monitor's schedule (admins)",
    "Resumes a paused monitor's schedule (admins): it runs again at its next scheduled time.",
    { note: text('N', 'what changed, for the ledger') },
  ),
  command(
    'monitor run',
    '<policy> <monitor>',
    'run a monitor now (admins)',
    'Runs a monitor now (admins), even while its schedule is paused: the run judges the moment it starts.',
  ),
  command(
    'monitor backfill',
    '<policy> <monitor> --from D --to D',
    "make up a monitor's runs of past days (admins)",
    "Makes up a monitor's scheduled runs of past days, --from and --to included, in the monitor's " +
      'time zone (admins; at most 366 days, not after today). Each run judges its own day.',
    {
      from: text('D', 'the first day, YYYY-MM-DD (required)'),
      to: text('D', 'the last day, YYYY-MM-DD (required)'),
    },
  ),
  ...TOKEN_SPECS,
  ...ROLE_SPECS,
];

/** `charter token --help`: issuing, listing and revoking tokens. */
export const TOKEN_GROUP: CommandSpec = {
  name: 'token',
  synopsis: 'issue|list|revoke [options]',
  description:
    'API tokens: `token issue` makes one and prints it once, `token list` shows them, `token ' +
    'revoke <id>` ends one. `charter token <issue|list|revoke> --help` shows the options of each.',
  options: {},
};

/** `charter roles --help`. */
export const ROLES_GROUP: CommandSpec = {
  name: 'roles',
  synopsis: 'show|set <person> [roles]',
  description:
    'Roles granted to people: `roles show <person>` prints them, `roles set <person> <role>...` ' +
    'sets them. `charter roles <show|set> --help` shows the options of each.',
  options: {},
};

/** `charter audit --help`: the five audit commands. */
export const AUDIT_GROUP: CommandSpec = {
  name: 'audit',
  synopsis: 'query|export|verify|checkpoint|evidence [options]',
  description:
    'The audit ledger: `audit query` lists events, `audit export` streams them as CSV or JSON ' +
    "lines, `audit verify` checks the ledger's hash chains and its Merkle tree against the newest " +
    'signed head (or, with --offline or --evidence, files alone, with no server), `audit ' +
    'checkpoint` saves that head to keep outside Charter, `audit evidence` downloads an ' +
    "instance's evidence bundle. " +
    '`charter audit <query|export|verify|checkpoint|evidence> --help` shows the options of each.',
  options: {},
};

/** `charter monitor --help`: the four things admins do with a monitor's schedule. */
export const MONITOR_GROUP: CommandSpec = {
  name: 'monitor',
  synopsis: 'pause|resume|run|backfill <policy> <monitor> [options]',
  description:
    "What admins do with a monitor's schedule: `monitor pause` (with --note), `monitor resume`, " +
    '`monitor run` (now) and `monitor backfill` (--from D --to D). `charter monitors` lists them; ' +
    '`charter monitor <pause|resume|run|backfill> --help` shows the options of each.',
  options: {},
};

// `monitor <name> { <clauses> }`: a scheduled rule over the PMO's projects. As in `approve`, the
// grammar takes clauses in any order and number; each single-use clause is kept the first time
// and every repeat is reported (pointing back at the first), while `escalate after` accumulates.
// Which clauses a monitor must have is the checker's concern, so a half-written monitor still
// builds and every missing clause is reported at once.
import type { CstNode } from 'chevrotain';
import type { DayRange, FindingHealth, MonitorDecl, Span } from './types.js';
import { meant } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { suggest } from '../diagnostics/suggest.js';
import { MONITOR_CLAUSE_WORDS } from '../parse/lexer.js';
import { buildTemplate } from '../templates.js';
import { buildApprovers, buildExpression } from './expr.js';
import { buildDayRange, durationOf, timeLit } from './literals.js';
import {
  type BuildContext,
  childOf,
  childrenOf,
  identAt,
  nodeSpan,
  report,
  reportJunk,
  tokenOf,
  tokenSpan,
} from './support.js';

const HEALTHS: readonly FindingHealth[] = ['amber', 'red'];

export function buildMonitor(node: CstNode, span: Span, ctx: BuildContext): MonitorDecl | null {
  const name = identAt(node, 'name');
  if (!name) return null;
  reportJunk(
    node,
    ['clauses'],
    ctx,
    'a monitor clause such as `every`, `require` or `owner`',
    (first) => meant(suggest(first.image, MONITOR_CLAUSE_WORDS)).help,
  );
  const monitor: MonitorDecl = {
    kind: 'monitor',
    name,
    every: null,
    where: null,
    require: null,
    owner: [],
    within: null,
    remindEvery: null,
    escalations: [],
    waivers: [],
    health: null,
    span,
  };
  const seen = new Map<string, Span>();
  const once = (key: string, label: string, clauseSpan: Span): boolean => {
    const first = seen.get(key);
    if (!first) {
      seen.set(key, clauseSpan);
      return true;
    }
    report(ctx, SYNTAX.duplicateClause, clauseSpan, `monitor \`${name.name}\` has a second ${label}`, {
      help: 'a monitor takes this clause once; remove one of them',
      related: [{ message: `the first ${label}`, span: first }],
    });
    return false;
  };
  for (const clause of childrenOf(node, 'clauses')) {
    const clauseSpan = nodeSpan(clause);
    if (clauseSpan) applyClause(monitor, clause, clauseSpan, ctx, once);
  }
  return monitor;
}

type Once = (key: string, label: string, span: Span) => boolean;

function applyClause(monitor: MonitorDecl, clause: CstNode, span: Span, ctx: BuildContext, once: Once): void {
  const has = (key: string): boolean => (clause.children[key]?.length ?? 0) > 0;
  if (has('Remind')) {
    const duration = durationOf(childOf(clause, 'remind'), ctx);
    if (duration && once('remind', '`remind every` clause', span)) monitor.remindEvery = duration;
  } else if (has('Every')) {
    const every = buildEvery(clause, span, ctx);
    if (every && once('every', '`every` clause', span)) monitor.every = every;
  } else if (has('Where')) {
    const where = buildExpression(childOf(clause, 'where'), ctx);
    if (where && once('where', '`where` clause', span)) monitor.where = { condition: where, span };
  } else if (has('Require')) {
    const condition = buildExpression(childOf(clause, 'require'), ctx);
    const message = tokenOf(clause, 'message');
    if (condition && once('require', '`require` clause', span)) {
      monitor.require = { condition, message: message ? buildTemplate(message, ctx) : null, span };
    }
  } else if (has('Owner')) {
    const owner = buildApprovers(childOf(clause, 'owner'), ctx);
    if (once('owner', '`owner` clause', span)) monitor.owner = owner;
  } else if (has('Within')) {
    const duration = durationOf(childOf(clause, 'within'), ctx);
    if (duration && once('within', '`within` clause', span)) monitor.within = { duration, span };
  } else if (has('Escalate')) {
    const after = durationOf(childOf(clause, 'escalate'), ctx);
    const to = buildApprovers(childOf(clause, 'escalateTo'), ctx);
    if (after && to.length > 0) monitor.escalations.push({ after, to, handover: false, span });
  } else if (has('Waive')) {
    const waivers = buildApprovers(childOf(clause, 'waivers'), ctx);
    if (once('waive', '`waive by` clause', span)) monitor.waivers = waivers;
  } else if (has('Health')) {
    const health = buildHealth(clause, ctx);
    if (health && once('health', '`health` clause', span)) monitor.health = health;
  }
}

function buildEvery(clause: CstNode, span: Span, ctx: BuildContext): MonitorDecl['every'] {
  const days = childrenOf(clause, 'days').map((range) => buildDayRange(range, ctx));
  const timeToken = tokenOf(clause, 'time');
  if (!timeToken || days.length === 0 || days.some((d) => d === null)) return null;
  return {
    days: days as DayRange[],
    time: timeLit(timeToken, ctx),
    calendar: identAt(clause, 'calendar') ?? null,
    span,
  };
}

function buildHealth(clause: CstNode, ctx: BuildContext): MonitorDecl['health'] {
  const token = tokenOf(clause, 'health');
  if (!token) return null;
  const value = HEALTHS.find((h) => h === token.image);
  if (value) return { value, span: tokenSpan(token) };
  const suggestion = meant(suggest(token.image, HEALTHS));
  report(
    ctx,
    SYNTAX.unknownHealth,
    tokenSpan(token),
    `\`${token.image}\` is not a health a finding can give`,
    {
      help: suggestion.help ?? 'write `health amber` or `health red`',
      fix: suggestion.fix,
    },
  );
  return null;
}

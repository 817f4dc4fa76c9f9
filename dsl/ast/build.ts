// CST to AST: declarations, the input schema and the file itself. Loose grammar, strict AST: what
// the grammar let through is rejected here with specific help. Steps live in steps.ts,
// approvals in approve.ts, expressions in expr.ts, literals in
// literals.ts.
import type { CstNode } from 'chevrotain';
import type {
  CalendarDecl,
  Comment,
  DayRange,
  Declaration,
  HoursLine,
  InputField,
  LibraryHeader,
  PolicyFile,
  PolicyHeader,
  ProcessDecl,
  SimpleTypeName,
  Span,
  Step,
  TypeExpr,
  UseDecl,
} from './types.js';
import { meant } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/syntax-codes.js';
import { MAX_NESTING } from '../parse/lexer.js';
import { suggest } from '../diagnostics/suggest.js';
import { buildApprovers, buildExpression } from './expr.js';
import { buildDayRange, dateLit, stringLit, timeLit, wholeNumber } from './literals.js';
import { buildStepItems } from './steps.js';
import { buildMonitor } from './monitor.js';
import {
  type BuildContext,
  childOf,
  childrenOf,
  cover,
  identAt,
  identOf,
  nodeSpan,
  report,
  reportJunk,
  tokenOf,
  tokensOf,
  tokenSpan,
} from './support.js';

export type TopItem = PolicyHeader | LibraryHeader | UseDecl | Declaration;

/** One `declaration` CST node (a header, a `use` or a declaration); null when too broken. */
export function buildTopItem(node: CstNode, ctx: BuildContext): TopItem | null {
  const inner = Object.values(node.children)[0]?.[0];
  if (!inner || !('children' in inner)) return null;
  const span = nodeSpan(inner);
  if (!span) return null;
  switch (inner.name) {
    case 'policyHeader':
      return buildPolicyHeader(inner, span, ctx);
    case 'libraryHeader': {
      const name = tokenOf(inner, 'name');
      return name ? { kind: 'library', name: stringLit(name, ctx), span } : null;
    }
    case 'useDecl': {
      const path = tokenOf(inner, 'path');
      return path ? { kind: 'use', path: stringLit(path, ctx), span } : null;
    }
    case 'calendarDecl':
      return buildCalendar(inner, span, ctx);
    case 'roleDecl': {
      const name = identAt(inner, 'name');
      return name
        ? { kind: 'role', name, members: buildApprovers(childOf(inner, 'approverList'), ctx), span }
        : null;
    }
    case 'ruleDecl': {
      const name = identAt(inner, 'name');
      const condition = buildExpression(childOf(inner, 'expression'), ctx);
      const because = tokenOf(inner, 'because');
      return name && condition
        ? { kind: 'rule', name, condition, because: because ? stringLit(because, ctx) : null, span }
        : null;
    }
    case 'processDecl':
      return buildProcess(inner, span, ctx);
    case 'monitorDecl':
      return buildMonitor(inner, span, ctx);
    default:
      return null;
  }
}

function buildPolicyHeader(node: CstNode, span: Span, ctx: BuildContext): PolicyHeader | null {
  const name = tokenOf(node, 'name');
  const version = tokenOf(node, 'version');
  const effective = tokenOf(node, 'effective');
  if (!name || !version || !effective) return null;
  const owner = tokenOf(node, 'owner');
  return {
    kind: 'policy',
    name: stringLit(name, ctx),
    version: wholeNumber(version, ctx, 'a policy version'),
    effective: dateLit(effective, ctx),
    owner: owner ? stringLit(owner, ctx) : null,
    span,
  };
}

// ------------------------------------------------------------------------------------------------
// Calendars

function buildCalendar(node: CstNode, span: Span, ctx: BuildContext): CalendarDecl | null {
  const name = identAt(node, 'name');
  if (!name) return null;
  reportJunk(
    node,
    ['timezoneLine', 'hoursLine', 'holidaysLine'],
    ctx,
    '`timezone`, `hours` or `holidays`',
    (t) => meant(suggest(t.image, ['timezone', 'hours', 'holidays'])).help,
  );
  const calendar: CalendarDecl = { kind: 'calendar', name, timezone: null, hours: [], holidays: [], span };
  let firstTimezone: Span | undefined;
  for (const line of childrenOf(node, 'timezoneLine')) {
    const zone = tokenOf(line, 'zone');
    const lineSpan = nodeSpan(line);
    if (!zone || !lineSpan) continue;
    if (firstTimezone) {
      report(ctx, SYNTAX.duplicateClause, lineSpan, `calendar \`${name.name}\` has a second \`timezone\``, {
        help: 'a calendar has one time zone; remove one of them',
        related: [{ message: 'the first `timezone`', span: firstTimezone }],
      });
      continue;
    }
    firstTimezone = lineSpan;
    calendar.timezone = stringLit(zone, ctx);
  }
  for (const line of childrenOf(node, 'hoursLine')) {
    const hours = buildHours(line, ctx);
    if (hours) calendar.hours.push(hours);
  }
  for (const line of childrenOf(node, 'holidaysLine')) {
    calendar.holidays.push(...tokensOf(line, 'dates').map((t) => dateLit(t, ctx)));
  }
  return calendar;
}

function buildHours(node: CstNode, ctx: BuildContext): HoursLine | null {
  const from = tokenOf(node, 'from');
  const to = tokenOf(node, 'to');
  const span = nodeSpan(node);
  const days = childrenOf(node, 'dayRange')
    .map((range) => buildDayRange(range, ctx))
    .filter((d): d is DayRange => d !== null);
  // Times are checked even when a day is wrong, so one pass shows every mistake of the line.
  const times = from && to ? { from: timeLit(from, ctx), to: timeLit(to, ctx) } : null;
  if (!times || !span || days.length === 0) return null;
  return { days, ...times, span };
}

// ------------------------------------------------------------------------------------------------
// Processes and their input

function buildProcess(node: CstNode, span: Span, ctx: BuildContext): ProcessDecl | null {
  const name = identAt(node, 'name');
  if (!name) return null;
  const steps: Step[] = [];
  let input: InputField[] = [];
  let firstInput: Span | undefined;
  for (const item of buildStepItems(childOf(node, 'stepList'), ctx)) {
    if (item.kind === 'step') steps.push(item.step);
    else if (item.kind === 'branch') {
      report(
        ctx,
        SYNTAX.misplacedBlock,
        item.branch.span,
        '`branch` only groups steps directly inside `parallel`',
        {
          help: 'remove `branch` and keep its steps, or move it into a `parallel` block',
        },
      );
      steps.push(...item.branch.steps);
    } else if (firstInput) {
      report(
        ctx,
        SYNTAX.duplicateClause,
        item.span,
        `process \`${name.name}\` has a second \`input\` block`,
        {
          help: 'declare every field in one `input` block',
          related: [{ message: 'the first `input` block', span: firstInput }],
        },
      );
    } else {
      firstInput = item.span;
      input = buildInput(item.node, ctx);
    }
  }
  return { kind: 'process', name, input, steps, span };
}

function buildInput(node: CstNode, ctx: BuildContext): InputField[] {
  reportJunk(node, ['inputField'], ctx, 'a field such as `title: text`', () => undefined);
  const fields: InputField[] = [];
  for (const fieldNode of childrenOf(node, 'inputField')) {
    const nameToken = tokenOf(fieldNode, 'name');
    const type = buildType(childOf(fieldNode, 'typeExpr'), ctx);
    const span = nodeSpan(fieldNode);
    if (!nameToken || !type || !span) continue;
    const defaultNode = childOf(fieldNode, 'default');
    fields.push({
      name: identOf(nameToken),
      type,
      optional: tokenOf(fieldNode, 'Optional') !== undefined,
      default: defaultNode ? buildExpression(defaultNode, ctx) : null,
      span,
    });
  }
  return fields;
}

const SIMPLE_TYPES: readonly SimpleTypeName[] = [
  'text',
  'number',
  'money',
  'percentage',
  'duration',
  'date',
  'boolean',
  'person',
];

/** `list of` prefixes wrap the base type in a loop: no recursion however many there are. */
function buildType(node: CstNode | undefined, ctx: BuildContext): TypeExpr | null {
  if (!node) return null;
  const lists = tokensOf(node, 'lists');
  const tooDeep = lists[MAX_NESTING];
  if (tooDeep) {
    // Later phases walk types recursively, like brackets.
    report(
      ctx,
      SYNTAX.nestingTooDeep,
      tokenSpan(tooDeep),
      `\`list of\` nests more than ${MAX_NESTING} levels deep`,
      {
        help: 'a list of lists this deep cannot be meant; flatten the type',
      },
    );
    return null;
  }
  let type = buildBaseType(node, ctx);
  for (let i = lists.length - 1; i >= 0 && type; i--) {
    const list = lists[i];
    if (!list) break;
    type = { kind: 'list', element: type, span: cover(tokenSpan(list), type.span) ?? type.span };
  }
  return type;
}

function buildBaseType(node: CstNode, ctx: BuildContext): TypeExpr | null {
  const values = tokensOf(node, 'values');
  if (values.length > 0) {
    const span = cover(...values.map(tokenSpan));
    return span ? { kind: 'enum', values: values.map((v) => stringLit(v, ctx)), span } : null;
  }
  const nameToken = tokenOf(node, 'typeName');
  if (!nameToken) return null;
  const name = SIMPLE_TYPES.find((t) => t === nameToken.image);
  if (!name) {
    // `list` alone is no type: it needs `list of <type>`, more than the span can take.
    const suggestion = meant(suggest(nameToken.image, [...SIMPLE_TYPES, 'list']));
    report(ctx, SYNTAX.unknownType, tokenSpan(nameToken), `\`${nameToken.image}\` is not a type`, {
      fix: suggestion.fix?.replacement === 'list' ? undefined : suggestion.fix,
      help:
        suggestion.help ??
        'types are `text`, `number`, `money`, `percentage`, `duration`, `date`, `boolean`, `person`, `list of <type>` or `"a" | "b"`',
    });
    return null;
  }
  const currencyToken = tokenOf(node, 'currency');
  const span = cover(tokenSpan(nameToken), currencyToken && tokenSpan(currencyToken)) ?? tokenSpan(nameToken);
  if (currencyToken && name !== 'money') {
    report(
      ctx,
      SYNTAX.currencyOnNonMoney,
      tokenSpan(currencyToken),
      `only \`money\` takes a currency, not \`${name}\``,
      {
        help: `remove \`${currencyToken.image}\``,
      },
    );
    return { kind: 'simple', name, currency: null, span: tokenSpan(nameToken) };
  }
  if (currencyToken && !/^[A-Z]{3}$/.test(currencyToken.image)) {
    report(
      ctx,
      SYNTAX.invalidCurrency,
      tokenSpan(currencyToken),
      `\`${currencyToken.image}\` is not a currency code`,
      /^[A-Za-z]{3}$/.test(currencyToken.image)
        ? meant(currencyToken.image.toUpperCase())
        : { help: 'currency codes are three upper-case letters, such as `EUR`' },
    );
    return { kind: 'simple', name, currency: null, span: tokenSpan(nameToken) };
  }
  return { kind: 'simple', name, currency: currencyToken ? identOf(currencyToken) : null, span };
}

// ------------------------------------------------------------------------------------------------
// The file

/** The file from its top-level items in source order, checking where headers may stand. */
export function assembleFile(
  items: readonly TopItem[],
  comments: Comment[],
  span: Span,
  ctx: BuildContext,
): PolicyFile {
  const file: PolicyFile = { kind: 'file', header: null, uses: [], declarations: [], comments, span };
  items.forEach((item, index) => {
    if (item.kind === 'policy' || item.kind === 'library') {
      if (file.header) {
        report(
          ctx,
          SYNTAX.duplicateHeader,
          item.span,
          `this file already has a \`${file.header.kind}\` header`,
          {
            help: 'a file holds one policy or one library',
            related: [{ message: 'the first header', span: file.header.span }],
          },
        );
        return;
      }
      if (index > 0) {
        report(ctx, SYNTAX.headerNotFirst, item.span, `the \`${item.kind}\` header must open the file`, {
          help: 'move it above every other declaration',
        });
      }
      file.header = item;
    } else if (item.kind === 'use') file.uses.push(item);
    else file.declarations.push(item);
  });
  if (file.header?.kind === 'library') {
    for (const declaration of file.declarations) {
      if (declaration.kind !== 'process' && declaration.kind !== 'monitor') continue;
      const kind = declaration.kind;
      report(
        ctx,
        SYNTAX.processInLibrary,
        declaration.name.span,
        `library cannot declare ${kind} \`${declaration.name.name}\``,
        {
          help: `a library shares calendars, roles and rules; move the ${kind} into a policy file`,
        },
      );
    }
  }
  return file;
}

// A realistic compiled policy written by hand, so that the IR tests do not depend on the front end:
// LANGUAGE.md's change-management example, lowered as types.ts documents. It uses every step, op,
// approver, quorum, timeout, on-fail, check, type and value kind; ir-schema.test.ts proves it.
import type {
  ApproverIR,
  DurationIR,
  ExprIR,
  PolicyIR,
  SourceSpan,
  TemplateIR,
  TypeIR,
  ValueIR,
} from '../../../engine/ir/index.js';

const at = (line: number, col = 3, width = 10): SourceSpan => ({
  file: 0,
  line,
  col,
  endLine: line,
  endCol: col + width,
});

const T = {
  text: { kind: 'text' },
  number: { kind: 'number' },
  boolean: { kind: 'boolean' },
  person: { kind: 'person' },
  date: { kind: 'date' },
  duration: { kind: 'duration' },
  percentage: { kind: 'percentage' },
  eur: { kind: 'money', currency: 'EUR' },
  risk: { kind: 'enum', values: ['low', 'medium', 'high'] },
} satisfies Record<string, TypeIR>;

/** A duration; business durations count on the sample's only calendar. */
const dur = (amount: number, unit: DurationIR['unit'], business = false): DurationIR => ({
  amount,
  unit,
  business,
  calendar: business ? 'office' : null,
});
const plain = (amount: number, unit: DurationIR['unit']) => dur(amount, unit);
const business = (amount: number, unit: DurationIR['unit']) => dur(amount, unit, true);

const lit = (value: ValueIR, type: TypeIR, line: number): ExprIR => ({
  op: 'literal',
  value,
  type,
  span: at(line),
});
const input = (field: string, type: TypeIR, line: number): ExprIR => ({
  op: 'input',
  field,
  type,
  span: at(line),
});
type Logic = 'and' | 'or' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in';
const bool = (op: Logic, left: ExprIR, right: ExprIR): ExprIR => ({
  op,
  left,
  right,
  type: T.boolean,
  span: at(left.span.line, 1, 40),
});
const msg = (line: number, ...parts: (string | ExprIR)[]): TemplateIR => ({
  parts: parts.map((part) => (typeof part === 'string' ? { text: part } : { expr: part })),
  span: at(line),
});
const role = (name: string, line: number): ApproverIR => ({ kind: 'role', role: name, span: at(line) });

const requester: ApproverIR = { kind: 'expr', expr: input('requester', T.person, 40), span: at(40) };

export function sampleIR(): PolicyIR {
  return {
    irVersion: 1,
    policy: { name: 'IT change management', version: 3, effective: '2026-12-01', owner: 'pmo@example.com' },
    sources: [
      { path: 'policies/change.charter', sha256: 'a'.repeat(64) },
      { path: 'shared/org.charter', sha256: '0123456789abcdef'.repeat(4) },
    ],
    calendars: [
      {
        name: 'office',
        timezone: 'Europe/Berlin',
        hours: [
          { day: 'mon', from: '09:00', to: '17:00' },
          { day: 'fri', from: '09:00', to: '17:00' },
          { day: 'sat', from: '10:00', to: '12:00' },
        ],
        holidays: ['2026-12-24', '2026-12-25', '2027-01-01'],
        span: at(6, 1, 1),
      },
    ],
    roles: [
      {
        name: 'cab',
        members: [{ kind: 'group', group: 'change-advisory-board', span: at(13) }],
        span: at(13),
      },
      {
        name: 'pmo_lead',
        members: [{ kind: 'person', person: 'dana@example.com', span: at(16) }],
        span: at(16),
      },
      { name: 'reviewers', members: [role('cab', 17), role('pmo_lead', 17)], span: at(17) },
    ],
    rules: [
      {
        name: 'high_risk',
        condition: bool(
          'or',
          bool('eq', input('risk', T.risk, 18), lit('high', T.risk, 18)),
          bool('gt', input('budget', T.eur, 18), lit({ amount: 50_000, currency: 'EUR' }, T.eur, 18)),
        ),
        because: 'high-risk or costly changes need the change advisory board',
        span: at(18, 1, 60),
      },
    ],
    processes: [
      {
        name: 'change_request',
        input: [
          { name: 'title', type: T.text, optional: false, default: null, span: at(23) },
          { name: 'risk', type: T.risk, optional: false, default: null, span: at(24) },
          { name: 'budget', type: T.eur, optional: false, default: null, span: at(25) },
          { name: 'downtime', type: T.duration, optional: false, default: null, span: at(26) },
          { name: 'requester', type: T.person, optional: false, default: null, span: at(27) },
          { name: 'window', type: T.date, optional: true, default: null, span: at(28) },
          {
            name: 'systems',
            type: { kind: 'list', element: T.text },
            optional: true,
            default: [],
            span: at(29),
          },
          { name: 'share', type: T.percentage, optional: true, default: 10, span: at(30) },
          { name: 'urgent', type: T.boolean, optional: true, default: false, span: at(31) },
          {
            name: 'cost_cap',
            type: { kind: 'money', currency: null },
            optional: true,
            default: null,
            span: at(32),
          },
          { name: 'grace', type: T.duration, optional: true, default: plain(2, 'day'), span: at(33) },
          {
            name: 'tags',
            type: { kind: 'list', element: T.text },
            optional: true,
            default: [['a'], 'b'],
            span: at(34),
          },
        ],
        steps: [
          {
            kind: 'check',
            id: 'fields_complete',
            span: at(36),
            check: {
              kind: 'rule',
              condition: bool(
                'and',
                bool('ne', input('title', T.text, 36), lit('', T.text, 36)),
                bool('le', input('downtime', T.duration, 36), lit(plain(8, 'hour'), T.duration, 36)),
              ),
              message: msg(37, 'downtime of ', input('downtime', T.duration, 37), ' is above 8 hours'),
            },
            onFail: { action: 'stop', outcome: 'rejected', message: null },
          },
          {
            kind: 'if',
            id: 'if_1',
            span: at(39),
            branches: [
              {
                condition: { op: 'rule', rule: 'high_risk', type: T.boolean, span: at(39) },
                span: at(39),
                steps: [
                  {
                    kind: 'approve',
                    id: 'cab_review',
                    span: at(40),
                    approvers: [role('cab', 41)],
                    quorum: { kind: 'all' },
                    veto: true,
                    exclude: [requester],
                    distinctFrom: [],
                    sla: business(2, 'day'),
                    remindEvery: business(1, 'day'),
                    escalations: [
                      { after: business(2, 'day'), to: [role('reviewers', 46)], span: at(46) },
                      {
                        after: business(3, 'day'),
                        to: [{ kind: 'group', group: 'cio', span: at(47) }],
                        span: at(47),
                      },
                    ],
                    onTimeout: {
                      action: 'reject',
                      message: msg(48, 'no CAB decision in time'),
                      span: at(48),
                    },
                    allowDelegation: true,
                    allowChanges: false,
                  },
                ],
              },
              {
                condition: bool('in', input('risk', T.risk, 51), {
                  op: 'list',
                  items: [lit('medium', T.risk, 51), lit('low', T.risk, 51)],
                  type: { kind: 'list', element: T.risk },
                  span: at(51),
                }),
                span: at(51),
                steps: [
                  {
                    kind: 'approve',
                    id: 'manager_review',
                    span: at(52),
                    approvers: [{ kind: 'managerOf', of: input('requester', T.person, 53), span: at(53) }],
                    quorum: { kind: 'majority' },
                    veto: false,
                    exclude: [],
                    distinctFrom: [],
                    sla: plain(48, 'hour'),
                    remindEvery: null,
                    escalations: [],
                    onTimeout: { action: 'escalate', to: [role('cab', 55)], span: at(55) },
                    allowDelegation: false,
                    allowChanges: true,
                  },
                ],
              },
            ],
            otherwise: [
              {
                kind: 'notify',
                id: 'notify_1',
                span: at(58),
                recipients: [requester],
                message: msg(58, 'low-risk change ', input('title', T.text, 58), ' needs no approval'),
              },
            ],
          },
          {
            kind: 'approve',
            id: 'finance_review',
            span: at(61),
            approvers: [role('reviewers', 62), { kind: 'person', person: 'cfo@example.com', span: at(62) }],
            quorum: { kind: 'atLeast', count: 2, poolAtLeast: 3 },
            veto: false,
            exclude: [role('pmo_lead', 64)],
            distinctFrom: ['cab_review', 'manager_review'],
            sla: plain(5, 'day'),
            remindEvery: plain(1, 'day'),
            escalations: [],
            onTimeout: { action: 'approve', message: null, span: at(67) },
            allowDelegation: false,
            allowChanges: false,
          },
          {
            kind: 'parallel',
            id: 'parallel_1',
            span: at(70),
            onFailure: 'finishOthers',
            branches: [
              {
                id: 'security_scan',
                span: at(71),
                steps: [
                  {
                    kind: 'check',
                    id: 'security_scan',
                    span: at(71),
                    check: {
                      kind: 'external',
                      service: 'vulnerability-scan',
                      timeout: plain(2, 'hour'),
                      retries: 3,
                    },
                    onFail: {
                      action: 'waiver',
                      by: [role('cab', 72)],
                      within: plain(5, 'day'),
                      validFor: plain(90, 'day'),
                    },
                  },
                ],
              },
              {
                id: 'compliance',
                span: at(73),
                steps: [
                  {
                    kind: 'check',
                    id: 'licenses',
                    span: at(74),
                    check: {
                      kind: 'attest',
                      by: [role('cab', 74)],
                      statement: 'license terms reviewed',
                      evidence: true,
                      within: plain(3, 'day'),
                    },
                    onFail: { action: 'continue' },
                  },
                  {
                    kind: 'wait',
                    id: 'cool_down',
                    span: at(75),
                    wait: { kind: 'for', duration: plain(30, 'minute') },
                  },
                  {
                    kind: 'approve',
                    id: 'sec_signoff',
                    span: at(76),
                    approvers: [role('cab', 76)],
                    quorum: { kind: 'percent', percent: 60 },
                    veto: false,
                    exclude: [],
                    distinctFrom: [],
                    sla: null,
                    remindEvery: null,
                    escalations: [],
                    onTimeout: {
                      action: 'fail',
                      message: msg(77, 'security did not sign off'),
                      span: at(77),
                    },
                    allowDelegation: false,
                    allowChanges: false,
                  },
                ],
              },
            ],
          },
          {
            kind: 'reallocate',
            id: 'dba_cover',
            span: at(81),
            hours: 40,
            skill: 'dba',
            pool: 'shared-services',
            project: {
              op: 'call',
              fn: 'lower',
              args: [input('title', T.text, 82)],
              type: T.text,
              span: at(82),
            },
            period: plain(2, 'week'),
            priority: 'high',
          },
          {
            kind: 'wait',
            id: 'wait_1',
            span: at(84),
            wait: {
              kind: 'until',
              date: {
                op: 'add',
                left: input('window', T.date, 84),
                right: lit(plain(1, 'day'), T.duration, 84),
                type: T.date,
                span: at(84),
              },
            },
          },
          {
            kind: 'check',
            id: 'budget_sane',
            span: at(86),
            check: {
              kind: 'rule',
              condition: {
                op: 'not',
                arg: bool(
                  'lt',
                  {
                    op: 'sub',
                    left: {
                      op: 'mul',
                      left: {
                        op: 'stepResult',
                        step: 'dba_cover',
                        property: 'hours',
                        type: T.number,
                        span: at(86),
                      },
                      right: lit(2, T.number, 86),
                      type: T.number,
                      span: at(86),
                    },
                    right: {
                      op: 'div',
                      left: { op: 'neg', arg: lit(4, T.number, 86), type: T.number, span: at(86) },
                      right: {
                        op: 'call',
                        fn: 'count',
                        args: [input('systems', { kind: 'list', element: T.text }, 86)],
                        type: T.number,
                        span: at(86),
                      },
                      type: T.number,
                      span: at(86),
                    },
                    type: T.number,
                    span: at(86),
                  },
                  lit(0, T.number, 86),
                ),
                type: T.boolean,
                span: at(86),
              },
              message: null,
            },
            onFail: { action: 'stop', outcome: 'cancelled', message: msg(87, 'budget is not sane') },
          },
          {
            kind: 'check',
            id: 'urgent_or_large',
            span: at(89),
            check: {
              kind: 'rule',
              condition: bool('ge', input('share', T.percentage, 89), lit(15, T.percentage, 89)),
              message: null,
            },
            onFail: { action: 'continue' },
          },
          {
            kind: 'notify',
            id: 'notify_2',
            span: at(91),
            recipients: [requester, role('cab', 91)],
            message: msg(91, 'change ', input('title', T.text, 91), ' approved'),
          },
          {
            kind: 'end',
            id: 'end_1',
            span: at(92),
            outcome: 'approved',
            message: msg(92, 'change may proceed'),
          },
        ],
        span: at(21, 1, 1),
      },
    ],
  };
}

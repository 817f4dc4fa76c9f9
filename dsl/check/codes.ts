// The checker's diagnostic codes: CH3xxx names, CH4xxx types, CH5xxx flow and policy logic.
// A code is stable and never reused; each has exactly one meaning. The report helpers take a
// CheckCode, so a mistyped code is a compile error rather than an undocumented diagnostic.
// What the CST-to-AST builder already reports is not repeated here: a process in a library
// (CH2017), fractional quorum counts (CH2012) and percentages outside 0-100% (CH2008).

export const checkCodes = [
  // Files and imports (CH30xx).
  {
    code: 'CH3001',
    title: 'missing policy header',
    explanation:
      'A policy file must start with `policy "<name>" version <n> effective <date>`. A file that only shares declarations starts with `library "<name>"` instead.',
  },
  {
    code: 'CH3002',
    title: 'used file not found',
    explanation: 'A `use` names a file that does not exist. Paths are relative to the file that uses them.',
  },
  {
    code: 'CH3003',
    title: 'use cycle',
    explanation:
      'Files use each other in a circle. Move the shared declarations into one library that the others use.',
  },
  {
    code: 'CH3004',
    title: 'used file is not a library',
    explanation: 'Only a file that starts with `library "<name>"` can be used; a policy cannot be imported.',
  },
  {
    code: 'CH3005',
    title: 'file used twice',
    explanation: 'The same library is used more than once in a file; the second `use` adds nothing.',
  },
  // Declarations (CH31xx).
  {
    code: 'CH3101',
    title: 'duplicate declaration',
    explanation:
      'Calendars, roles, rules and processes share one namespace across the policy and its libraries, and a local name may not shadow an imported one.',
  },
  {
    code: 'CH3102',
    title: 'duplicate input field',
    explanation: 'Each input field of a process needs its own name.',
  },
  {
    code: 'CH3103',
    title: 'duplicate step id',
    explanation:
      'Step ids are unique within a process, including the automatic ids `<kind>_<n>` of unnamed steps and the ids of parallel branches.',
  },
  {
    code: 'CH3104',
    title: 'duplicate enumeration value',
    explanation: 'An enumeration lists the same value twice.',
  },
  // References (CH32xx).
  {
    code: 'CH3201',
    title: 'unknown role',
    explanation:
      'A bare name among approvers or recipients must be a declared role (locally or in a used library).',
  },
  { code: 'CH3202', title: 'unknown calendar', explanation: 'No calendar with this name is declared.' },
  {
    code: 'CH3203',
    title: 'unknown rule',
    explanation: 'A single name in an expression refers to a rule, and no rule with this name is declared.',
  },
  {
    code: 'CH3204',
    title: 'unknown input field',
    explanation:
      '`request.<field>` must name a field of the input of the process (or of every process using the rule).',
  },
  {
    code: 'CH3205',
    title: 'unknown step',
    explanation: 'A step result or `distinct from` names a step id that the process does not have.',
  },
  {
    code: 'CH3206',
    title: 'unknown step result',
    explanation:
      'Steps expose these results: approve `approved`, `outcome`, `approvers`, `decided_at`; check `passed`, `waived`, `outcome`; reallocate `allocated`, `hours`; wait `until`. Other steps have none.',
  },
  {
    code: 'CH3207',
    title: 'unknown function',
    explanation:
      'The functions are `count`, `length`, `contains`, `lower`, `upper`, `min`, `max`, `is_set` and `days_between`.',
  },
  {
    code: 'CH3208',
    title: 'unknown time zone',
    explanation: 'A calendar time zone must be an IANA zone name such as `Europe/Berlin` or `UTC`.',
  },
  {
    code: 'CH3209',
    title: 'role includes itself',
    explanation: 'A role is defined through itself, directly or through other roles, so it has no members.',
  },
  {
    code: 'CH3210',
    title: 'rule refers to itself',
    explanation: 'A rule is defined through itself, directly or through other rules, so it has no value.',
  },
  {
    code: 'CH3211',
    title: 'reference outside a process',
    explanation:
      'Roles cannot read `request` fields or step results, and rules cannot read step results: both are declared outside any process.',
  },
  {
    code: 'CH3212',
    title: 'malformed reference',
    explanation:
      'A reference is a rule name, `request.<field>` or `<step id>.<result>`; other shapes mean nothing.',
  },
  {
    code: 'CH3213',
    title: 'unknown project field',
    explanation:
      'In a monitor, `project.<field>` reads the project being looked at. Its fields are `code`, `name`, `phase`, `manager`, `sponsor`, `budget`, `start`, `end`, `health` and `tags`.',
  },
  {
    code: 'CH3214',
    title: '`project` outside a monitor',
    explanation:
      'Only a monitor looks at projects one by one. A process reads the project it is about from its input, e.g. `request.project`.',
  },
  {
    code: 'CH3215',
    title: '`request` in a monitor',
    explanation:
      'A monitor runs on a schedule, not on a request: it reads `project.<field>`, `today` and `<process>.last_approved`.',
  },
  {
    code: 'CH3216',
    title: 'unknown process history',
    explanation:
      'In a monitor, `<process>.last_approved` is the day the newest instance of that process for the project ended approved. It must name a process of the same policy, and `last_approved` is what a monitor can read of it.',
  },
  // Types (CH4xxx).
  {
    code: 'CH4001',
    title: 'operator does not fit its operands',
    explanation:
      'An operator is applied to values it does not accept, such as `text < text` or `boolean + number`.',
  },
  {
    code: 'CH4002',
    title: 'mixed currencies',
    explanation: 'Money only meets money of the same currency; there is no implicit exchange rate.',
  },
  {
    code: 'CH4003',
    title: 'money with a plain number',
    explanation:
      'Money compared with or added to a plain number: write the amount with its currency, e.g. `50_000 EUR`.',
  },
  {
    code: 'CH4004',
    title: 'dates and durations mixed',
    explanation:
      'Dates and durations do not mix, except `date + duration` and `date - duration`. `days_between(a, b)` counts the days between two dates.',
  },
  {
    code: 'CH4005',
    title: 'value outside the enumeration',
    explanation:
      'An enumeration is compared with a value it can never hold, so the comparison is always false.',
  },
  {
    code: 'CH4006',
    title: 'wrong `in` operands',
    explanation: '`x in list` needs a list on the right whose elements can be compared with `x`.',
  },
  {
    code: 'CH4007',
    title: 'condition is not true or false',
    explanation:
      'Conditions of `if`, `require`, rules and the operands of `and`, `or`, `not` must be boolean.',
  },
  {
    code: 'CH4008',
    title: 'wrong number of arguments',
    explanation: 'A function is called with more or fewer arguments than it takes.',
  },
  {
    code: 'CH4009',
    title: 'wrong argument type',
    explanation: 'A function argument has a type the function does not accept.',
  },
  {
    code: 'CH4010',
    title: 'value cannot be printed',
    explanation:
      'A `{...}` hole in a message must be text, a number, money, a percentage, a duration, a date, a person, an enumeration value or a list of these; `true`/`false` reads badly in a business message.',
  },
  {
    code: 'CH4011',
    title: '`wait until` needs a date',
    explanation: '`wait until <expr>` waits for a date; for a length of time write `wait <duration>`.',
  },
  {
    code: 'CH4012',
    title: 'approver is not a person',
    explanation:
      'An expression used as approver, recipient or grantee of a qualification must be a `person` or a `list of person`, and `manager of` needs a `person`.',
  },
  {
    code: 'CH4013',
    title: 'default does not fit the field',
    explanation: 'The default value of an input field must have the field type.',
  },
  {
    code: 'CH4014',
    title: 'default is not a constant',
    explanation:
      'A default value is a literal: it cannot read `request`, rules, step results or call functions.',
  },
  {
    code: 'CH4015',
    title: 'rule types differently across processes',
    explanation:
      'A rule is compiled once, so every process using it must give its input fields the same types.',
  },
  {
    code: 'CH4016',
    title: 'list items of different types',
    explanation: 'All items of a list literal must have one type.',
  },
  {
    code: 'CH4017',
    title: '`is_set` needs an optional field',
    explanation: '`is_set` takes `request.<field>` of a field declared `optional` or with a default.',
  },
  {
    code: 'CH4018',
    title: 'project is not text',
    explanation: '`reallocate ... to project <expr>` needs text (or an enumeration) naming the project.',
  },
  // Flow and policy logic (CH5xxx).
  {
    code: 'CH5001',
    title: 'step may not have run',
    explanation:
      'A step result (or `distinct from`) is used where that step has not run on every path: it runs later, in one branch of an `if`, or in a parallel branch.',
  },
  {
    code: 'CH5002',
    title: 'unreachable step',
    explanation:
      'A step follows an `end`, or an `if`/`else` or `parallel` that ends the process on every path.',
  },
  {
    code: 'CH5003',
    title: 'impossible quorum',
    explanation:
      '`at least 0` and `at least 0%` need nobody, so the step would decide itself; `at least N of M` needs N <= M.',
  },
  {
    code: 'CH5004',
    title: 'quorum larger than the approvers',
    explanation: 'The quorum asks for more people than the listed approvers can ever be.',
  },
  {
    code: 'CH5005',
    title: 'every approver excluded',
    explanation:
      'Segregation of duties (`not ...`) excludes every possible approver, so the step can never be approved.',
  },
  {
    code: 'CH5006',
    title: '`distinct from` a step that is not an approval',
    explanation: 'Only approvals have approvers; `distinct from` must name `approve` steps.',
  },
  {
    code: 'CH5007',
    title: 'deadline without `on timeout`',
    explanation:
      'An approval with `within` but no `on timeout` keeps waiting after its deadline; only reminders and escalations act.',
  },
  {
    code: 'CH5008',
    title: 'business duration without a calendar',
    explanation:
      'Business durations count working time of a calendar: name one with `on <calendar>` right after the duration (reminders and escalations take the one of their approval deadline), or declare exactly one calendar, which is then the default. Durations inside expressions cannot name one.',
  },
  {
    code: 'CH5009',
    title: 'calendar on a plain duration',
    explanation: 'A calendar only changes business durations; `within 48h on office` counts 48 clock hours.',
  },
  {
    code: 'CH5010',
    title: 'calendar without working hours',
    explanation:
      'A calendar with no `hours` line has no working time, so business durations on it never end.',
  },
  {
    code: 'CH5011',
    title: 'calendar without time zone',
    explanation: 'Working hours mean nothing without a time zone: add `timezone "<IANA zone>"`.',
  },
  {
    code: 'CH5012',
    title: 'working hours end before they start',
    explanation: 'In `hours <days> <from>-<to>`, `to` must be later than `from` (`24:00` ends a day).',
  },
  {
    code: 'CH5013',
    title: 'overlapping working hours',
    explanation: 'Two `hours` lines cover the same time of the same day.',
  },
  {
    code: 'CH5014',
    title: 'day range runs backwards',
    explanation:
      'Day ranges run from Monday towards Sunday (`mon-fri`); list days instead, e.g. `fri, sat, sun`.',
  },
  {
    code: 'CH5015',
    title: 'rule never used',
    explanation: 'No process uses this rule, so it is left out of the compiled policy.',
  },
  {
    code: 'CH5016',
    title: 'reallocation of no hours',
    explanation: '`reallocate <n> hours` needs more than 0 hours.',
  },
  {
    code: 'CH5017',
    title: 'handover to excluded people only',
    explanation:
      '`hand over after ... to` and `on timeout hand over to` make their people the only deciders, and segregation of duties (`not ...`, `distinct from <step>`) still applies to them. When it excludes everyone the step is handed over to, nobody can decide the step any more. Hand over to someone the exclusions leave in, or use `escalate` to add people to those already deciding.',
  },
  {
    code: 'CH5018',
    title: 'expression nested too deep',
    explanation:
      'An expression may nest at most 256 levels deep, counting through the rules it uses, so that every stage that runs a policy can evaluate it. A value or a reference is one level and an operator one more than its deepest operand (`a + b + c` is three levels, `- - x` three); a rule that is used adds its own levels, so a long chain of rules that each use the one before adds up, while a chain of `and` or `or` costs almost nothing however long. Group long sums in parentheses, or write rules that use one another out in fewer rules.',
  },
  {
    code: 'CH5019',
    title: 'monitor without a needed clause',
    explanation:
      'A monitor needs `every <days> <time>` (when it runs), `require <condition>` (what each project must satisfy) and `owner <people>` (who owns a finding). Without one of them it could not run or nobody would be asked to act.',
  },
  {
    code: 'CH5020',
    title: 'monitor schedule without a time zone',
    explanation:
      'The time in `every mon 08:00` is read in the time zone of a calendar: name it with `on <calendar>`, or declare exactly one calendar, which is then the default. Without any calendar the time is UTC.',
  },
  {
    code: 'CH5021',
    title: 'empty qualification',
    explanation:
      '`require qualification "<id>"` and an attestation\'s `grants qualification "<id>" to ...` name a qualification of the registry by its id, such as `"itil-change"`; an empty id names none, so nobody could decide the step, and the attestation would record nothing.',
  },
] as const satisfies readonly { code: string; title: string; explanation: string }[];

export type CheckCode = (typeof checkCodes)[number]['code'];

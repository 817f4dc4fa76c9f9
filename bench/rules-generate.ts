// Generated workloads for bench/rules.ts: random rule trees (comparisons on numbers, money and
// enumerations, `in`, nested `and`/`or`) and fact sets, written three ways from one tree: as
// Charter rule text for the real front end, as json-rules-engine rules, and as hand-written
// TypeScript closures. A seeded generator keeps every run on the same rules and facts.
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';

const ENUMS = {
  risk: ['low', 'medium', 'high'],
  region: ['emea', 'amer', 'apac'],
  kind: ['standard', 'normal', 'emergency'],
} as const;

type EnumField = keyof typeof ENUMS;
type NumberField = 'amount' | 'score';
type Ordered = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne';

export type Tree =
  | { kind: 'number'; field: NumberField; op: Ordered; value: number }
  | { kind: 'money'; op: Ordered; value: number }
  | { kind: 'enum'; field: EnumField; op: 'eq' | 'ne'; value: string }
  | { kind: 'in'; field: EnumField; values: string[] }
  | { kind: 'and' | 'or'; items: Tree[] };

export interface FactSet {
  amount: number;
  score: number;
  budget: number;
  risk: string;
  region: string;
  kind: string;
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

function leaf(rand: () => number): Tree {
  const ops: Ordered[] = ['gt', 'ge', 'lt', 'le', 'gt', 'ge', 'lt', 'le', 'eq', 'ne'];
  const field = pick(rand, Object.keys(ENUMS) as EnumField[]);
  switch (Math.floor(rand() * 4)) {
    case 0:
      return {
        kind: 'number',
        field: pick(rand, ['amount', 'score'] as const),
        op: pick(rand, ops),
        value: Math.floor(rand() * 100),
      };
    case 1:
      return { kind: 'money', op: pick(rand, ops), value: Math.floor(rand() * 20) * 5_000 };
    case 2:
      return { kind: 'enum', field, op: pick(rand, ['eq', 'ne'] as const), value: pick(rand, ENUMS[field]) };
    default:
      return {
        kind: 'in',
        field,
        values: ENUMS[field]
          .filter(() => rand() < 0.5)
          .slice(0, 2)
          .concat(pick(rand, ENUMS[field])),
      };
  }
}

export function tree(rand: () => number, depth = 0): Tree {
  if (depth >= 2 || (depth > 0 && rand() < 0.4)) return leaf(rand);
  const items = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => tree(rand, depth + 1));
  return { kind: rand() < 0.5 ? 'and' : 'or', items };
}

export function facts(rand: () => number): FactSet {
  return {
    amount: Math.floor(rand() * 100),
    score: Math.floor(rand() * 100),
    budget: Math.floor(rand() * 20) * 5_000,
    risk: pick(rand, ENUMS.risk),
    region: pick(rand, ENUMS.region),
    kind: pick(rand, ENUMS.kind),
  };
}

// ---------------------------------------------------------------------------------------------
// Charter

const SYMBOL: Record<Ordered, string> = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '==', ne: '!=' };

function charter(t: Tree): string {
  switch (t.kind) {
    case 'number':
      return `request.${t.field} ${SYMBOL[t.op]} ${t.value}`;
    case 'money':
      return `request.budget ${SYMBOL[t.op]} ${t.value} EUR`;
    case 'enum':
      return `request.${t.field} ${SYMBOL[t.op]} ${JSON.stringify(t.value)}`;
    case 'in':
      return `request.${t.field} in [${[...new Set(t.values)].map((v) => JSON.stringify(v)).join(', ')}]`;
    default:
      return `(${t.items.map(charter).join(` ${t.kind} `)})`;
  }
}

export function policyText(trees: readonly Tree[]): string {
  const enumType = (field: EnumField) => ENUMS[field].map((v) => JSON.stringify(v)).join(' | ');
  const rules = trees.map((t, i) => `rule r${i} = ${charter(t)}`).join('\n');
  const uses = trees.map((_, i) => `  if r${i} {\n    notify group "g": "r${i}"\n  }`).join('\n');
  return `policy "Rule benchmark" version 1 effective 2026-01-01

${rules}

process bench {
  input {
    amount: number
    score: number
    budget: money EUR
    risk: ${enumType('risk')}
    region: ${enumType('region')}
    kind: ${enumType('kind')}
  }
${uses}
  end approved
}
`;
}

// ---------------------------------------------------------------------------------------------
// json-rules-engine: money is given as its amount (every amount is in EUR), so that it does not
// pay for a JSONPath lookup the other two do not need.

const JRE: Record<Ordered, string> = {
  gt: 'greaterThan',
  ge: 'greaterThanInclusive',
  lt: 'lessThan',
  le: 'lessThanInclusive',
  eq: 'equal',
  ne: 'notEqual',
};

type Nested = TopLevelCondition | { fact: string; operator: string; value: unknown };

function jre(t: Tree): Nested {
  switch (t.kind) {
    case 'number':
      return { fact: t.field, operator: JRE[t.op], value: t.value };
    case 'money':
      return { fact: 'budget', operator: JRE[t.op], value: t.value };
    case 'enum':
      return { fact: t.field, operator: JRE[t.op], value: t.value };
    case 'in':
      return { fact: t.field, operator: 'in', value: [...new Set(t.values)] };
    case 'and':
      return { all: t.items.map(jre) };
    case 'or':
      return { any: t.items.map(jre) };
  }
}

export function jreRule(t: Tree, i: number): RuleProperties {
  const condition = jre(t);
  const conditions = 'fact' in condition ? { all: [condition] } : condition;
  return { name: `r${i}`, conditions, event: { type: `r${i}` } };
}

// ---------------------------------------------------------------------------------------------
// Hand-written TypeScript: what a developer would write for each rule, as closures.

export type Predicate = (f: FactSet) => boolean;

const COMPARE: Record<Ordered, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

export function predicate(t: Tree): Predicate {
  switch (t.kind) {
    case 'number': {
      const { field, value } = t;
      const test = COMPARE[t.op];
      return (f) => test(f[field], value);
    }
    case 'money': {
      const { value } = t;
      const test = COMPARE[t.op];
      return (f) => test(f.budget, value);
    }
    case 'enum': {
      const { field, value } = t;
      return t.op === 'eq' ? (f) => f[field] === value : (f) => f[field] !== value;
    }
    case 'in': {
      const { field } = t;
      const values = new Set(t.values);
      return (f) => values.has(f[field]);
    }
    case 'and': {
      const items = t.items.map(predicate);
      return (f) => items.every((p) => p(f));
    }
    case 'or': {
      const items = t.items.map(predicate);
      return (f) => items.some((p) => p(f));
    }
  }
}

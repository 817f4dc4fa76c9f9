// Rule evaluation throughput: Charter's expression evaluator against json-rules-engine 7 and
// against hand-written TypeScript predicates, on the same generated rules (compiled from Charter
// text by the real front end) and fact sets. All three must agree on every decision before any
// time is reported. Charter runs three ways: the decision alone, the decision with its
// explanation (the reasons as data: rule, span and the values each comparison saw, as the engine
// records them), and with the explanation written out as the sentence people read. Machines are
// shared and noisy, so the subjects are interleaved round by round and the report gives medians
// of per-round figures. Run: `npx tsx bench/rules.ts` (or `npm run bench:rules`, compiled).
import { performance } from 'node:perf_hooks';
import { Engine } from 'json-rules-engine';
import { compileEntry, memoryHost } from '../dsl/index.js';
import { compileRules, explain, type ExprEnvironment, type Facts } from '../engine/expr/index.js';
import { parseInput } from '../engine/input/index.js';
import {
  type FactSet,
  facts as randomFacts,
  jreRule,
  policyText,
  predicate,
  tree,
} from './rules-generate.js';
import { random } from './random.js';

const FACT_SETS = 1_000;
const RULE_COUNTS = [30, 300];
const ROUNDS = 7;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

interface Subject {
  name: string;
  /** Runs every rule on every fact set; returns the number of rules that held, as a checksum. */
  run(): Promise<number> | number;
}

async function timed(subject: Subject): Promise<number> {
  const start = performance.now();
  await subject.run();
  return performance.now() - start;
}

async function benchmark(ruleCount: number): Promise<void> {
  const rand = random(20261201 + ruleCount);
  const trees = Array.from({ length: ruleCount }, () => tree(rand));
  const sets: FactSet[] = Array.from({ length: FACT_SETS }, () => randomFacts(rand));

  const compiled = compileEntry('bench.charter', memoryHost({ 'bench.charter': policyText(trees) }));
  if (!compiled.compiled) {
    throw new Error(`generated rules do not compile: ${JSON.stringify(compiled.diagnostics.slice(0, 3))}`);
  }
  const env: ExprEnvironment = { rules: compiled.compiled.ir.rules, addDuration: (date) => date };
  const ours = compileRules(env);
  const names = trees.map((_, i) => `r${i}`);
  // The facts as the engine receives them: through the input parser, from what a requester types.
  const process = compiled.compiled.ir.processes[0];
  if (!process) throw new Error('the generated policy has no process');
  const charterFacts: Facts[] = sets.map((f) => {
    const parsed = parseInput(process, { ...f, budget: `${f.budget} EUR` });
    if (!parsed.ok) throw new Error(`generated facts do not parse: ${JSON.stringify(parsed.problems)}`);
    return { input: parsed.values, steps: {} };
  });

  const engine = new Engine([], { allowUndefinedFacts: false });
  trees.forEach((t, i) => engine.addRule(jreRule(t, i)));
  const predicates = trees.map(predicate);

  // Agreement first: every decision of every rule on every fact set, four ways.
  let held = 0;
  for (let s = 0; s < sets.length; s++) {
    const set = sets[s] as FactSet;
    const f = charterFacts[s] as Facts;
    const result = await engine.run({ ...set });
    const jreHeld = new Set(result.events.map((e) => e.type));
    names.forEach((name, i) => {
      const expected = (predicates[i] as (f: FactSet) => boolean)(set);
      const fast = ours.decide(name, f);
      const evaluation = ours.evaluate(name, f);
      const explained = evaluation.value === true;
      const sentence = explain(evaluation);
      if (!sentence.startsWith(`${name} ${explained ? 'held' : 'did not hold'}`)) {
        throw new Error(`the explanation of ${name} for ${JSON.stringify(set)} reads: ${sentence}`);
      }
      if (fast !== expected || explained !== expected || jreHeld.has(name) !== expected) {
        throw new Error(
          `disagreement on ${name} for ${JSON.stringify(set)}: hand-written ${expected}, charter ${fast}, ` +
            `charter explained ${explained}, json-rules-engine ${jreHeld.has(name)}`,
        );
      }
      if (expected) held++;
    });
  }

  let written = 0;
  const subjects: Subject[] = [
    {
      name: 'charter (decision only)',
      run: () => {
        let n = 0;
        for (const f of charterFacts) for (const name of names) if (ours.decide(name, f)) n++;
        return n;
      },
    },
    {
      name: 'charter (with explanation)',
      run: () => {
        let n = 0;
        for (const f of charterFacts)
          for (const name of names) if (ours.evaluate(name, f).value === true) n++;
        return n;
      },
    },
    {
      name: 'charter (explanation written)',
      run: () => {
        let n = 0;
        for (const f of charterFacts) {
          for (const name of names) {
            const evaluation = ours.evaluate(name, f);
            // The sentence is built and kept (its length feeds the checksum's guard below).
            written += explain(evaluation).length;
            if (evaluation.value === true) n++;
          }
        }
        return n;
      },
    },
    {
      name: 'json-rules-engine 7',
      run: async () => {
        let n = 0;
        for (const set of sets) n += (await engine.run({ ...set })).events.length;
        return n;
      },
    },
    {
      name: 'hand-written TypeScript',
      run: () => {
        let n = 0;
        for (const set of sets) for (const p of predicates) if (p(set)) n++;
        return n;
      },
    },
  ];

  for (const subject of subjects) {
    const checksum = await subject.run(); // warm-up, and one more agreement check
    if (checksum !== held)
      throw new Error(`${subject.name} counted ${checksum} decisions that held, expected ${held}`);
  }

  const ms = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  const ratios = {
    jre: [] as number[],
    hand: [] as number[],
    explainedJre: [] as number[],
    explainedHand: [] as number[],
    explainedFast: [] as number[],
    writtenFast: [] as number[],
    writtenHand: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    const times: number[] = [];
    // Rotate the order each round, so that no subject always runs right after the slow one.
    for (let k = 0; k < subjects.length; k++) {
      const subject = subjects[(k + round) % subjects.length] as Subject;
      const time = await timed(subject);
      ms.get(subject.name)?.push(time);
      times[(k + round) % subjects.length] = time;
    }
    const [fast = 0, explained = 0, sentences = 0, jre = 0, hand = 0] = times;
    ratios.jre.push(jre / fast);
    ratios.hand.push(fast / hand);
    ratios.explainedJre.push(jre / explained);
    ratios.explainedHand.push(explained / hand);
    ratios.explainedFast.push(explained / fast);
    ratios.writtenFast.push(sentences / fast);
    ratios.writtenHand.push(sentences / hand);
  }
  if (written === 0) throw new Error('no explanation was written');

  const decisions = ruleCount * FACT_SETS;
  console.log(
    `\n${ruleCount} rules x ${FACT_SETS} fact sets = ${decisions.toLocaleString('en')} decisions per round`,
  );
  console.log(
    `agreement: all ${decisions.toLocaleString('en')} decisions identical in all three (${held.toLocaleString('en')} held)`,
  );
  for (const [name, times] of ms) {
    const perSecond = decisions / (median(times) / 1000);
    console.log(
      `  ${name.padEnd(31)} ${median(times).toFixed(1).padStart(9)} ms   ${Math.round(perSecond).toLocaleString('en').padStart(13)} decisions/s`,
    );
  }
  const x = (r: number[]) => `${median(r).toFixed(2)}x`;
  console.log(
    `  charter is ${x(ratios.jre)} faster than json-rules-engine (decision only; ${x(ratios.explainedJre)} with explanations)`,
  );
  console.log(
    `  charter takes ${x(ratios.hand)} the time of hand-written TypeScript (${x(ratios.explainedHand)} with explanations, ${x(ratios.writtenHand)} with them written out)`,
  );
  console.log(
    `  an explained decision costs ${x(ratios.explainedFast)} an unexplained one (${x(ratios.writtenFast)} with the explanation written out)`,
  );
}

async function main(): Promise<void> {
  console.log(`Rule evaluation, median of ${ROUNDS} interleaved rounds (Node ${process.version})`);
  for (const count of RULE_COUNTS) await benchmark(count);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

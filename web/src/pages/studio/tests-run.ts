// The draft's tests, run in the page as `charter test` runs them (dsl/cli/test-command.ts): the
// test file (`<policy>.test.json`, dsl/TESTING.md) parsed with the simulator's own schema, each
// scenario played on the virtual clock (engine/simulate runTestFile, runMonitorTest), and step and
// branch coverage read off what the simulations did (coveragePoints, coveredBy). A file that is
// not JSON or not the expected shape is refused with each problem at its path
// (`tests[0].script[2].as`), before anything runs. Pure: no I/O, no clock but the virtual one.
import type { CompiledPolicy } from '../../../../engine/ir/types.js';
import {
  type CoveragePoint,
  coveragePoints,
  coveredBy,
  runMonitorTest,
  runTestFile,
  type TestFile,
  testFileSchema,
} from '../../../../engine/simulate/index.js';

export interface FileProblem {
  /** Where in the file: `tests[1].input`, or `(top level)`. */
  path: string;
  message: string;
}

export interface ScenarioOutcome {
  /** Where the scenario is written: `tests[1]`, `monitorTests[0]`. */
  at: string;
  name: string;
  passed: boolean;
  /** Each failure as the simulator words it, starting with its place (`expect: status ...`). */
  failures: string[];
}

export interface Ratio {
  covered: number;
  total: number;
}

export interface TestReport {
  scenarios: ScenarioOutcome[];
  steps: Ratio;
  branches: Ratio;
  /** The keys of every covered point (`process/step`, `process/step: branch`). */
  covered: ReadonlySet<string>;
  stepPoints: CoveragePoint[];
  branchPoints: CoveragePoint[];
  /** Points no scenario reached, in line order. */
  uncovered: CoveragePoint[];
}

export type TestRun = { kind: 'problems'; problems: FileProblem[] } | { kind: 'report'; report: TestReport };

/** A zod issue path as the CLI prints it: `tests[2].script[4].approve`. */
export function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** The test file, or every problem with it at its path. */
export function parseTestFile(text: string): TestFile | FileProblem[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    return [{ path: '(top level)', message: `not JSON: ${(error as Error).message}` }];
  }
  const parsed = testFileSchema.safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
  }
  // The CLI resolves `include` from the disk; the page has no files to read it from.
  const includes: FileProblem[] = [];
  if (parsed.data.world.include !== undefined) includes.push(includeProblem('world.include'));
  parsed.data.tests.forEach((t, i) => {
    if (t.world?.include !== undefined) includes.push(includeProblem(`tests[${i}].world.include`));
  });
  return includes.length > 0 ? includes : parsed.data;
}

const includeProblem = (path: string): FileProblem => ({
  path,
  message: 'the studio cannot read other files: paste the included world here instead of `include`',
});

const ratio = (points: readonly CoveragePoint[], covered: ReadonlySet<string>): Ratio => ({
  covered: points.filter((p) => covered.has(p.key)).length,
  total: points.length,
});

/** Runs every scenario of `text` against the compiled draft. */
export function runTests(policy: CompiledPolicy, text: string): TestRun {
  const file = parseTestFile(text);
  if (Array.isArray(file)) return { kind: 'problems', problems: file };
  const results = file.tests.length === 0 ? [] : runTestFile(policy, file);
  const monitors = file.monitorTests.map((t) => runMonitorTest(policy, t, file.world));
  const covered = new Set<string>();
  for (const result of results)
    for (const key of result.simulation ? coveredBy(result.simulation) : []) covered.add(key);
  const points = coveragePoints(policy);
  const uncovered = [...points.steps, ...points.branches]
    .filter((p) => !covered.has(p.key))
    .sort((a, b) => a.span.line - b.span.line || a.key.localeCompare(b.key));
  return {
    kind: 'report',
    report: {
      scenarios: [
        ...results.map((r, i) => ({
          at: `tests[${i}]`,
          name: r.name,
          passed: r.passed,
          failures: r.failures,
        })),
        ...monitors.map((r, i) => ({
          at: `monitorTests[${i}]`,
          name: r.name,
          passed: r.passed,
          failures: r.failures,
        })),
      ],
      steps: ratio(points.steps, covered),
      branches: ratio(points.branches, covered),
      covered,
      stepPoints: points.steps,
      branchPoints: points.branches,
      uncovered,
    },
  };
}

/** "5/7 (71.4%)", as `charter test` prints it; 100% when there is nothing to cover. */
export function ratioText(r: Ratio): string {
  const percent = r.total === 0 ? 100 : (100 * r.covered) / r.total;
  const shown = percent === 100 || percent === 0 ? String(percent) : percent.toFixed(1);
  return `${r.covered}/${r.total} (${shown}%)`;
}

/** The lines (1-based) of `file`'s steps that no test ran: where the editor marks them. */
export function uncoveredLines(
  policy: CompiledPolicy,
  report: TestReport,
  file: string,
): Map<number, string> {
  const index = policy.ir.sources.findIndex((s) => s.path === file);
  const lines = new Map<number, string>();
  for (const point of report.uncovered) {
    if (point.span.file !== index) continue;
    const said = lines.get(point.span.line);
    const what =
      point.branch === null ? `step ${point.step} never ran` : `${point.step}: ${point.branch} never taken`;
    lines.set(point.span.line, said === undefined ? what : `${said}; ${what}`);
  }
  return lines;
}

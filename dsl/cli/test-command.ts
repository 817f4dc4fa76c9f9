// `charter test [paths]`: runs the policy tests next to each policy (`x.charter` ->
// `x.test.json`) on the simulator and reports step and branch coverage per policy. A policy
// without tests counts as uncovered, so `--min-coverage 100` holds a whole folder to account.
import { existsSync, statSync } from 'node:fs';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { coveragePoints, coveredBy, runMonitorTest, runTestFile } from '../../engine/simulate/index.js';
import type { CoveragePoint, ScenarioResult } from '../../engine/simulate/index.js';
import { parse } from '../index.js';
import { diskHost, expandCharterFiles, UsageError } from './files.js';
import { EXIT_OK, EXIT_PROBLEMS, type Output } from './language-commands.js';
import { compileForRun, policyFileOf, readTestFile, testFileOf } from './scenario-files.js';
import { formatTimeline } from '../../engine/text/simulation-text.js';

export interface TestOptions {
  json: boolean;
  /** Fail when branch coverage of any policy is below this percentage. */
  minCoverage: number | null;
  /** Run only tests whose name contains this. */
  filter: string | null;
}

interface Ratio {
  covered: number;
  total: number;
}

interface PolicyReport {
  policy: string;
  testFile: string | null;
  error: string | null;
  tests: { name: string; passed: boolean; failures: string[] }[];
  steps: Ratio;
  branches: Ratio;
  uncovered: { line: number; point: string }[];
}

export function testCommand(paths: string[], options: TestOptions, io: Output): number {
  const reports: PolicyReport[] = [];
  for (const policy of policiesIn(paths)) {
    // Libraries run nowhere: nothing to test or cover (a broken one shows in its users' results).
    if (isLibrary(policy)) continue;
    const compiled = compileForRun(policy, (text) => io.err(text));
    if (compiled === null) {
      reports.push(emptyReport(policy, null, 'does not compile'));
      continue;
    }
    reports.push(testPolicy(policy, compiled, options, io));
  }
  if (reports.length === 0) throw new UsageError('no policies found in the given paths');
  const failed = reports.reduce((n, r) => n + r.tests.filter((t) => !t.passed).length + (r.error ? 1 : 0), 0);
  const passed = reports.reduce((n, r) => n + r.tests.filter((t) => t.passed).length, 0);
  const below =
    options.minCoverage === null
      ? []
      : reports.filter((r) => percent(r.branches) < (options.minCoverage ?? 0));
  if (options.json) io.out(JSON.stringify({ passed, failed, policies: reports }, null, 2) + '\n');
  else {
    for (const report of reports) io.out(renderReport(report));
    io.out(`\n${passed} passed, ${failed} failed; ${totals(reports)}\n`);
    for (const r of below)
      io.out(`branch coverage of ${r.policy} is ${percentText(r.branches)}, below ${options.minCoverage}%\n`);
  }
  return failed > 0 || below.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** Policies named by the paths: `.charter` files, test files' policies, and folders searched. */
function policiesIn(paths: readonly string[]): string[] {
  const files = paths.map((p) => (p.endsWith('.test.json') ? policyFileOf(p) : p));
  for (const file of files) {
    if (!existsSync(file)) throw new UsageError(`no such file or directory: ${file}`);
  }
  const explicit = files.filter((f) => !statSync(f).isDirectory());
  for (const file of explicit) {
    if (!file.endsWith('.charter')) throw new UsageError(`not a policy or a policy test: ${file}`);
  }
  return expandCharterFiles(files);
}

function isLibrary(file: string): boolean {
  const text = diskHost.readFile(file);
  return text !== undefined && parse(text, file).ast.header?.kind === 'library';
}

function testPolicy(
  policy: string,
  compiled: CompiledPolicy,
  options: TestOptions,
  io: Output,
): PolicyReport {
  const testFile = testFileOf(policy);
  const points = coveragePoints(compiled);
  if (!existsSync(testFile)) return withCoverage(emptyReport(policy, null, null), points, new Set());
  const file = readTestFile(testFile);
  const selected =
    options.filter === null
      ? file
      : { ...file, tests: file.tests.filter((t) => t.name.includes(options.filter ?? '')) };
  const results = selected.tests.length === 0 ? [] : runTestFile(compiled, selected);
  const monitorResults = file.monitorTests
    .filter((t) => options.filter === null || t.name.includes(options.filter))
    .map((t) => runMonitorTest(compiled, t, selected.world));
  const covered = new Set<string>();
  for (const result of results)
    for (const key of result.simulation ? coveredBy(result.simulation) : []) covered.add(key);
  if (!options.json) {
    for (const result of results.filter((r) => !r.passed))
      io.err(failureText(policy, result, selected.timezone));
    for (const result of monitorResults.filter((r) => !r.passed))
      io.err(`✗ ${policy}: ${result.name}\n  ${result.failures.join('\n  ')}\n`);
  }
  const report: PolicyReport = {
    ...emptyReport(policy, testFile, null),
    tests: [...results, ...monitorResults].map((r) => ({
      name: r.name,
      passed: r.passed,
      failures: r.failures,
    })),
  };
  return withCoverage(report, points, covered);
}

function emptyReport(policy: string, testFile: string | null, error: string | null): PolicyReport {
  const none = { covered: 0, total: 0 };
  return { policy, testFile, error, tests: [], steps: none, branches: none, uncovered: [] };
}

function withCoverage(
  report: PolicyReport,
  points: { steps: CoveragePoint[]; branches: CoveragePoint[] },
  covered: ReadonlySet<string>,
): PolicyReport {
  const ratio = (list: CoveragePoint[]) => ({
    covered: list.filter((p) => covered.has(p.key)).length,
    total: list.length,
  });
  const uncovered = [...points.steps, ...points.branches]
    .filter((p) => !covered.has(p.key))
    .map((p) => ({ line: p.span.line, point: p.key }))
    .sort((a, b) => a.line - b.line || a.point.localeCompare(b.point));
  return { ...report, steps: ratio(points.steps), branches: ratio(points.branches), uncovered };
}

function renderReport(r: PolicyReport): string {
  const lines = [`${r.policy}${r.testFile ? ` (${r.testFile})` : ''}`];
  if (r.error) lines.push(`  ✗ ${r.error}`);
  else if (r.testFile === null) lines.push('  no tests');
  for (const t of r.tests) lines.push(`  ${t.passed ? '✓' : '✗'} ${t.name}`);
  lines.push(`  coverage: steps ${percentText(r.steps)}, branches ${percentText(r.branches)}`);
  for (const u of r.uncovered) lines.push(`    not covered: line ${u.line}: ${u.point}`);
  return lines.join('\n') + '\n';
}

function failureText(policy: string, result: ScenarioResult, timezone: string): string {
  const lines = [`\n✗ ${policy}: ${result.name}`];
  for (const failure of result.failures) lines.push(...failure.split('\n').map((l) => `    ${l}`));
  if (result.simulation)
    lines.push('  timeline:', ...formatTimeline(result.simulation, timezone).map((l) => `    ${l}`));
  return lines.join('\n') + '\n';
}

const percent = (r: Ratio): number => (r.total === 0 ? 100 : (100 * r.covered) / r.total);

function percentText(r: Ratio): string {
  const p = percent(r);
  return `${r.covered}/${r.total} (${p === 100 || p === 0 ? p : p.toFixed(1)}%)`;
}

function totals(reports: readonly PolicyReport[]): string {
  const sum = (pick: (r: PolicyReport) => Ratio): Ratio =>
    reports.reduce(
      (acc, r) => ({ covered: acc.covered + pick(r).covered, total: acc.total + pick(r).total }),
      { covered: 0, total: 0 },
    );
  return `coverage over ${reports.length} policies: steps ${percentText(sum((r) => r.steps))}, branches ${percentText(sum((r) => r.branches))}`;
}

// Runs the schemathesis CLI (PyPI, installed by scripts/install-schemathesis.sh into its own venv)
// against a live API and reads its JSON report: how many cases it generated, what failed, and the
// console report to show when something did. The child runs asynchronously: the API under test
// lives in the jest process itself, and a synchronous spawn would stop it from answering.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where scripts/install-schemathesis.sh puts the binary; CHARTER_SCHEMATHESIS names another one. */
export const schemathesisBin = (): string =>
  process.env['CHARTER_SCHEMATHESIS'] ?? path.join(ROOT, '.tools/schemathesis/bin/schemathesis');

/** Fails loudly when the tool is missing: a contract test that skips itself proves nothing. */
export function requireSchemathesis(): string {
  const bin = schemathesisBin();
  if (!existsSync(bin)) {
    throw new Error(
      `schemathesis is not installed at ${bin}: run \`bash scripts/install-schemathesis.sh\` ` +
        '(npm test does, as part of installing the services), or set CHARTER_SCHEMATHESIS',
    );
  }
  return bin;
}

/**
 * What the contract is: no 5xx; every status, body and content type the document declares; what
 * the document forbids is refused (negative_data_rejection); no route but the public ones answers
 * without a token (ignored_auth); a resource the API just deleted is gone and one it just created
 * is there (the stateful phase's two checks).
 * Not positive_data_acceptance: the document cannot say that a cursor must be one the list issued,
 * that `to` comes after `from` or that an Idempotency-Key is not reused for another body, so
 * schema-valid requests that the API rightly refuses with 422 would fail it.
 */
export const CONTRACT_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'response_schema_conformance',
  'content_type_conformance',
  'negative_data_rejection',
  'ignored_auth',
  'use_after_free',
  'ensure_resource_availability',
] as const;

/**
 * The run's settings beyond the command line. The coverage phase also sends every path with the
 * HTTP methods it does not declare (TRACE, OPTIONS...), a tenth of its cases: their answer is the
 * unknown-route 404, which the unsupported_method check (not run: it wants 405) would judge.
 * Data the document forbids must be refused; schemathesis's list of refusals lacks 431, the answer
 * (before any route runs) to a request whose URL and headers pass Node's 16 KB: the OIDC callback's
 * `code`, `state` and `error` each one past their limits, percent-encoded, come to that.
 */
const CONFIG = `[phases.coverage]
unexpected-methods = []

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "431", "5xx"]
`;

export interface SchemathesisRun {
  /** Shown in the failure message: which token and which operations. */
  name: string;
  /** The API's OpenAPI document, e.g. http://127.0.0.1:1234/openapi.json. */
  schemaUrl: string;
  token: string;
  /** Operation labels (`GET /v1/me`) to test; all of them when absent. */
  operations?: readonly string[];
  phases: readonly ('examples' | 'coverage' | 'fuzzing' | 'stateful')[];
  /** Cases per operation in the fuzzing and stateful phases (the coverage phase has no cap). */
  maxExamples: number;
  /** Fixed, so that a failure in CI can be replayed locally with the same cases. */
  seed: number;
  /** Kill the run after this long (it should end far sooner): a hang must not outlive jest. */
  timeoutMs: number;
}

export interface SchemathesisResult {
  exitCode: number | null;
  /** The console report (no colours, Authorization values filtered out). */
  output: string;
  /** Cases generated over all phases. */
  generated: number;
  /** Operations the filters selected and that schemathesis tested. */
  selected: number;
  tested: number;
  /** Each kind of failure (`ST201`...) with the operations it failed on. */
  failures: { code: string; title: string; operations: string[] }[];
  /** Each error schemathesis itself hit (a schema it could not load, a crash). */
  errors: string[];
  runningTimeS: number;
  /** The JSON report and schemathesis's caches (`discard` removes them once the run passed). */
  dir: string;
}

interface JsonReport {
  exit_code: number;
  running_time: number;
  operations: { selected: number; tested: number; errored: number };
  test_cases: { generated: number };
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: unknown[];
}

export async function runSchemathesis(run: SchemathesisRun): Promise<SchemathesisResult> {
  const bin = requireSchemathesis();
  // Its own working directory: schemathesis keeps a cache of past failures (replayed first on the
  // next run) and Hypothesis a database under the current directory; neither belongs in the tree.
  const dir = mkdtempSync(path.join(tmpdir(), 'charter-contract-'));
  const config = path.join(dir, 'schemathesis.toml');
  writeFileSync(config, CONFIG);
  const reportPath = path.join(dir, 'report.json');
  const args = [
    '--config-file',
    config,
    'run',
    run.schemaUrl,
    '--header',
    `Authorization: Bearer ${run.token}`,
    '--checks',
    CONTRACT_CHECKS.join(','),
    '--phases',
    run.phases.join(','),
    '--max-examples',
    String(run.maxExamples),
    '--seed',
    String(run.seed),
    '--workers',
    '1',
    '--generation-database',
    'none',
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    reportPath,
    ...(run.operations ?? []).flatMap((label) => ['--include-name', label]),
  ];
  const { exitCode, output } = await spawnCollecting(bin, args, dir, run.timeoutMs);
  if (!existsSync(reportPath)) {
    throw new Error(
      `${run.name}: schemathesis wrote no report (exit ${exitCode}, files in ${dir}):\n${output}`,
    );
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
  const result: SchemathesisResult = {
    exitCode,
    output,
    generated: report.test_cases.generated,
    selected: report.operations.selected,
    tested: report.operations.tested,
    failures: report.failures.map(({ code, title, operations }) => ({ code, title, operations })),
    errors: report.errors.map((e) => JSON.stringify(e)),
    runningTimeS: report.running_time,
    dir,
  };
  return result;
}

/** Removes a run's directory: the caller keeps it when the run failed, for its report to point at. */
export function discard(result: SchemathesisResult): void {
  rmSync(result.dir, { recursive: true, force: true });
}

function spawnCollecting(
  bin: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', PYTHONUNBUFFERED: '1', COLUMNS: '120' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8');
      if (timedOut) reject(new Error(`schemathesis ran over ${timeoutMs} ms and was killed:\n${output}`));
      else resolve({ exitCode: code, output });
    });
  });
}

/** One failed check as the console report tells it: the operation, the check's code, its details. */
export interface FailedCheck {
  operation: string;
  code: string;
  text: string;
}

/**
 * The failed checks of the console report's FAILURES section, one per operation and code: the JSON
 * report only counts them, and what a failure was about (a parameter's format, a status) is only
 * in this text. The layout is schemathesis 4.32's (the version is pinned); if it changes, nothing
 * parses and every failure counts, which fails the test rather than excusing anything.
 */
export function failedChecks(output: string): FailedCheck[] {
  const start = output.indexOf('=== FAILURES ===');
  if (start < 0) return [];
  const ends = ['=== ERRORS ===', '=== WARNINGS ===', '=== SUMMARY ==='].map((m) => output.indexOf(m, start));
  const end = Math.min(...ends.filter((i) => i > 0), output.length);
  const parts = output.slice(start, end).split(/^_{3,} (.+?) _{3,}$/m);
  const checks: FailedCheck[] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const operation = parts[i] ?? '';
    const items = (parts[i + 1] ?? '').split(/^- (ST\d+) /m);
    for (let j = 1; j + 1 < items.length; j += 2) {
      checks.push({ operation, code: items[j] ?? '', text: items[j + 1] ?? '' });
    }
  }
  return checks;
}

/** The report's failures section and summary, for a jest failure message that CI prints. */
export function failureReport(result: SchemathesisResult, limit = 30_000): string {
  const start = result.output.indexOf('=== FAILURES ===');
  const from = start < 0 ? result.output.indexOf('=== ERRORS ===') : start;
  const body =
    from < 0 ? result.output : result.output.slice(Math.max(0, result.output.lastIndexOf('\n', from)));
  const text =
    body.length > limit ? `${body.slice(0, limit)}\n[... ${body.length - limit} more characters]` : body;
  return `${text}\n(schemathesis's JSON report and caches: ${result.dir})`;
}

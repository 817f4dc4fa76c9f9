// Front-end throughput on a generated ~1 MB policy, as ratios to JSON.parse of the same policy's
// compiled IR, measured in this process and this run. Machines are shared and noisy, so every
// round times the baseline right next to each subject and the report gives the median of the
// per-round ratios, not of absolute times. Run: `npm run bench`.
import { performance } from 'node:perf_hooks';
import { generatePolicy } from './generate-policy.js';

const TARGET_BYTES = 1_000_000;
const ROUNDS = 9;

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  // The parser is built once per process when its module loads (Chevrotain's self-analysis):
  // load what it depends on first, so that the timed import is mostly that construction.
  await import('chevrotain');
  await import('../dsl/parse/lexer.js');
  const constructMs = await timeImport();
  const { parse, compileEntry, memoryHost } = await import('../dsl/index.js');

  const source = generatePolicy(TARGET_BYTES);
  const host = memoryHost({ 'bench.charter': source });
  const first = compileEntry('bench.charter', host);
  if (!first.compiled) {
    throw new Error(`generated policy does not compile: ${JSON.stringify(first.diagnostics.slice(0, 3))}`);
  }
  const irJson = JSON.stringify(first.compiled.ir);
  const subjects = {
    json: (): unknown => JSON.parse(irJson),
    parse: () => parse(source, 'bench.charter'),
    frontEnd: () => compileEntry('bench.charter', host),
  };
  Object.values(subjects).forEach((fn): unknown => fn()); // warm-up

  const ms = { json: [] as number[], parse: [] as number[], frontEnd: [] as number[] };
  const ratio = { parse: [] as number[], frontEnd: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const json = timed(subjects.json);
    const parsed = timed(subjects.parse);
    const frontEnd = timed(subjects.frontEnd);
    ms.json.push(json);
    ms.parse.push(parsed);
    ms.frontEnd.push(frontEnd);
    ratio.parse.push(parsed / json);
    ratio.frontEnd.push(frontEnd / json);
  }

  // The IR is several times larger than the text (a type and a span on every node), so the
  // ratio per byte, against JSON.parse's speed per MB, is the stricter figure; both are shown.
  const perByte = (r: number) => r * (irJson.length / source.length);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  const row = (name: string, times: number[], ratios: number[] | null) => {
    const r = ratios ? median(ratios) : 1;
    const rPerByte = ratios ? perByte(r) : 1;
    console.log(
      `${name.padEnd(32)}${median(times).toFixed(1).padStart(9)} ms${r.toFixed(1).padStart(8)}x${rPerByte.toFixed(0).padStart(8)}x`,
    );
  };
  console.log(
    `policy text ${mb(source.length)} MB; its IR as JSON ${mb(irJson.length)} MB; ${ROUNDS} rounds`,
  );
  console.log(`${''.padEnd(32)}${'median'.padStart(12)}${'vs IR'.padStart(9)}${'per MB'.padStart(9)}`);
  row('JSON.parse of the IR (baseline)', ms.json, null);
  row('lex + parse + build AST', ms.parse, ratio.parse);
  row('full front end (to hashed IR)', ms.frontEnd, ratio.frontEnd);
  console.log(`parser construction, once per process: ${constructMs.toFixed(0)} ms`);
}

async function timeImport(): Promise<number> {
  const start = performance.now();
  await import('../dsl/parse/parser.js');
  return performance.now() - start;
}

await main();

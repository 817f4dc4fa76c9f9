// Front-end throughput on a generated ~1 MB policy, as ratios to JSON.parse of the same policy's
// compiled IR, measured in this process and this run (machines are shared and noisy: absolute
// times drift, ratios much less). Run: `npm run bench`.
import { performance } from 'node:perf_hooks';
import { generatePolicy } from './generate-policy.js';

const TARGET_BYTES = 1_000_000;
const ROUNDS = 7;

/** Median wall time of `rounds` runs of fn, after one warm-up run. */
function median(fn: () => unknown, rounds = ROUNDS): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

async function main(): Promise<void> {
  const constructStart = performance.now();
  const { parse, compileEntry, memoryHost } = await import('../dsl/index.js');
  const constructMs = performance.now() - constructStart;

  const source = generatePolicy(TARGET_BYTES);
  const host = memoryHost({ 'bench.charter': source });
  const compiled = compileEntry('bench.charter', host);
  if (!compiled.compiled) {
    throw new Error(`generated policy does not compile: ${JSON.stringify(compiled.diagnostics.slice(0, 3))}`);
  }
  const irJson = JSON.stringify(compiled.compiled.ir);

  const jsonMs = median(() => JSON.parse(irJson));
  const parseMs = median(() => parse(source, 'bench.charter'));
  const frontEndMs = median(() => compileEntry('bench.charter', host), 3);

  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  console.log(`policy text ${mb(source.length)} MB, IR JSON ${mb(irJson.length)} MB`);
  console.log(`JSON.parse of the IR (baseline)    ${jsonMs.toFixed(1)} ms   1.0x`);
  console.log(
    `lex + parse + AST                  ${parseMs.toFixed(1)} ms   ${(parseMs / jsonMs).toFixed(1)}x`,
  );
  console.log(
    `full front end (check + compile)   ${frontEndMs.toFixed(1)} ms   ${(frontEndMs / jsonMs).toFixed(1)}x`,
  );
  console.log(`one-time load and parser construction: ${constructMs.toFixed(0)} ms`);
}

await main();

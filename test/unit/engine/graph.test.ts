// The process graph: every step kind becomes a node, flow becomes edges, `if` a decision with an
// edge per branch, `parallel` a fork and a join. Small processes pin the exact shape; the shipped
// policies check the properties any graph must have (every step once, edges between known nodes,
// every node reachable from the start, every path ending in an end).
import { readdirSync } from 'node:fs';
import { compileEntry } from '../../../dsl/index.js';
import { diskHost } from '../../../dsl/cli/files.js';
import {
  IMPLICIT_END_NODE,
  joinNodeOf,
  processGraph,
  START_NODE,
  type ProcessGraph,
} from '../../../engine/graph/index.js';
import type { ProcessIR, StepIR } from '../../../engine/ir/types.js';
import { processOf } from './machine-support.js';

const INPUT = '    requester: person\n    budget: number';
const approval = (id: string): string => `approve ${id} {\n      by cab\n    }`;

function graphOf(steps: string): ProcessGraph {
  const process = processOf(INPUT, steps).ir.processes[0];
  if (!process) throw new Error('no process');
  return processGraph(process);
}

const edgesOf = (graph: ProcessGraph): string[] =>
  graph.edges.map((e) => `${e.from} -> ${e.to}${e.label === null ? '' : ` [${e.label}]`}`);
const nodesOf = (graph: ProcessGraph): string[] => graph.nodes.map((n) => `${n.kind} ${n.id}`);

describe('processGraph of small processes', () => {
  test('when steps follow each other and the last is an end, then they are chained from the start and the end is terminal', () => {
    const graph = graphOf(
      `  ${approval('review')}\n  notify told: request.requester: "done"\n  wait pause: 2 days\n  end approved "ok"`,
    );

    expect(nodesOf(graph)).toEqual([
      'start #start',
      'approve review',
      'notify told',
      'wait pause',
      'end end_1',
    ]);
    expect(edgesOf(graph)).toEqual(['#start -> review', 'review -> told', 'told -> pause', 'pause -> end_1']);
    expect(graph.nodes.every((n) => n.branch === null)).toBe(true);
  });

  test('when a process runs off its last step, then an implicit end follows it', () => {
    const graph = graphOf(`  check enough: require request.budget > 0\n  ${approval('review')}`);

    expect(nodesOf(graph)).toEqual([
      'start #start',
      'check enough',
      'approve review',
      `end ${IMPLICIT_END_NODE}`,
    ]);
    expect(edgesOf(graph)).toEqual([
      '#start -> enough',
      'enough -> review',
      `review -> ${IMPLICIT_END_NODE}`,
    ]);
  });

  test('when a step comes from line n, then its node carries line n', () => {
    const graph = graphOf(`  ${approval('review')}\n  end approved "ok"`);
    const process = processOf(INPUT, `  ${approval('review')}\n  end approved "ok"`).ir.processes[0];

    expect(graph.nodes.find((n) => n.id === 'review')?.line).toBe(process?.steps[0]?.span.line);
    expect(graph.nodes.find((n) => n.id === START_NODE)?.line).toBe(process?.span.line);
  });

  test('when an if has branches and an otherwise, then a decision node has an edge per branch labelled with its condition', () => {
    const graph = graphOf(
      [
        '  if request.budget > 100 {',
        `    ${approval('board')}`,
        '  } else if request.budget > 10 {',
        `    ${approval('lead')}`,
        '  } else {',
        '    end rejected "too small"',
        '  }',
        '  notify told: request.requester: "decided"',
      ].join('\n'),
    );

    expect(nodesOf(graph)).toEqual([
      'start #start',
      'decision if_1',
      'approve board',
      'approve lead',
      'end end_1',
      'notify told',
      `end ${IMPLICIT_END_NODE}`,
    ]);
    expect(edgesOf(graph)).toEqual([
      '#start -> if_1',
      'if_1 -> board [request.budget > 100]',
      'if_1 -> lead [request.budget > 10]',
      'if_1 -> end_1 [otherwise]',
      'board -> told',
      'lead -> told',
      `told -> ${IMPLICIT_END_NODE}`,
    ]);
  });

  test('when an if has no otherwise, then the otherwise edge goes straight to the next step', () => {
    const graph = graphOf(`  if request.budget > 100 {\n    ${approval('board')}\n  }\n  end approved "ok"`);

    expect(edgesOf(graph)).toEqual([
      '#start -> if_1',
      'if_1 -> board [request.budget > 100]',
      'board -> end_1',
      'if_1 -> end_1 [otherwise]',
    ]);
  });

  test('when a parallel has branches, then a fork and a join enclose each branch chained, with the branch id on its nodes', () => {
    const graph = graphOf(
      [
        '  parallel {',
        `    ${approval('legal')}`,
        '    branch tech {',
        `      ${approval('arch')}`,
        '      notify told: request.requester: "arch done"',
        '    }',
        '  }',
        '  end approved "all done"',
      ].join('\n'),
    );
    const join = joinNodeOf('parallel_1');

    expect(nodesOf(graph)).toEqual([
      'start #start',
      'fork parallel_1',
      'approve legal',
      'approve arch',
      'notify told',
      `join ${join}`,
      'end end_1',
    ]);
    expect(edgesOf(graph)).toEqual([
      '#start -> parallel_1',
      'parallel_1 -> legal [legal]',
      'parallel_1 -> arch [tech]',
      'arch -> told',
      `legal -> ${join}`,
      `told -> ${join}`,
      `${join} -> end_1`,
    ]);
    expect(Object.fromEntries(graph.nodes.map((n) => [n.id, n.branch]))).toEqual({
      [START_NODE]: null,
      parallel_1: null,
      legal: 'legal',
      arch: 'tech',
      told: 'tech',
      [join]: null,
      end_1: null,
    });
  });

  test('when blocks nest (an if in a parallel branch, a branch that ends the process), then the edges follow the flow', () => {
    const graph = graphOf(
      [
        '  parallel {',
        '    branch money {',
        '      if request.budget > 100 {',
        `        ${approval('cfo')}`,
        '      } else {',
        '        end rejected "no budget"',
        '      }',
        '    }',
        '    branch people {',
        `      ${approval('hr')}`,
        '    }',
        '  }',
      ].join('\n'),
    );
    const join = joinNodeOf('parallel_1');

    expect(edgesOf(graph)).toEqual([
      '#start -> parallel_1',
      'parallel_1 -> if_1 [money]',
      'if_1 -> cfo [request.budget > 100]',
      'if_1 -> end_1 [otherwise]',
      'parallel_1 -> hr [people]',
      `cfo -> ${join}`,
      `hr -> ${join}`,
      `${join} -> ${IMPLICIT_END_NODE}`,
    ]);
    expect(graph.nodes.filter((n) => n.branch === 'money').map((n) => n.id)).toEqual([
      'if_1',
      'cfo',
      'end_1',
    ]);
  });

  test('when every branch of a parallel ends the process, then nothing flows past its join', () => {
    const graph = graphOf('  parallel {\n    end approved "a"\n    end rejected "b"\n  }');

    expect(
      graph.edges.some((e) => e.from === joinNodeOf('parallel_1') || e.to === joinNodeOf('parallel_1')),
    ).toBe(false);
    expect(graph.nodes.map((n) => n.id)).not.toContain(IMPLICIT_END_NODE);
  });
});

/** Every step of a block, however deeply nested, in policy order. */
function stepsOf(steps: readonly StepIR[]): StepIR[] {
  return steps.flatMap((step) => [
    step,
    ...(step.kind === 'if'
      ? stepsOf([...step.branches.flatMap((b) => b.steps), ...step.otherwise])
      : step.kind === 'parallel'
        ? stepsOf(step.branches.flatMap((b) => b.steps))
        : []),
  ]);
}

const shipped: { name: string; process: ProcessIR }[] = readdirSync('policies')
  .filter((file) => file.endsWith('.charter'))
  .flatMap((file) => {
    const out = compileEntry(`policies/${file}`, diskHost);
    if (!out.compiled) throw new Error(`${file} does not compile`);
    return out.compiled.ir.processes.map((process) => ({ name: `${file} ${process.name}`, process }));
  });

describe('processGraph of the shipped policies', () => {
  test('when the shipped policies are compiled, then there are processes with every step kind to draw', () => {
    const kinds = new Set(shipped.flatMap(({ process }) => stepsOf(process.steps).map((s) => s.kind)));

    expect([...kinds].sort()).toEqual([
      'approve',
      'check',
      'end',
      'if',
      'notify',
      'parallel',
      'reallocate',
      'wait',
    ]);
  });

  test.each(shipped.map((s) => [s.name, s.process] as const))(
    'when %s is drawn, then every step is one node and every node is reachable and leads to an end',
    (_name, process) => {
      const graph = processGraph(process);
      const ids = graph.nodes.map((n) => n.id);
      const steps = stepsOf(process.steps);

      expect(new Set(ids).size).toBe(ids.length);
      expect(steps.map((s) => s.id).every((id) => ids.includes(id))).toBe(true);
      expect(graph.nodes.filter((n) => !n.id.startsWith('#')).length).toBe(steps.length);
      for (const step of steps) {
        expect(graph.nodes.find((n) => n.id === step.id)?.line).toBe(step.span.line);
      }
      for (const edge of graph.edges)
        expect([ids.includes(edge.from), ids.includes(edge.to)]).toEqual([true, true]);
      const joins = steps.filter((s) => s.kind === 'parallel').map((s) => joinNodeOf(s.id));
      expect(joins.every((id) => ids.includes(id))).toBe(true);

      const next = (id: string) => graph.edges.filter((e) => e.from === id).map((e) => e.to);
      const reached = new Set([START_NODE]);
      const queue = [START_NODE];
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        for (const to of next(id).filter((n) => !reached.has(n))) {
          reached.add(to);
          queue.push(to);
        }
      }
      expect(ids.filter((id) => !reached.has(id))).toEqual([]);
      const dead = graph.nodes.filter((n) => n.kind !== 'end' && next(n.id).length === 0).map((n) => n.id);
      expect(dead).toEqual([]);
      const decisions = graph.nodes.filter((n) => n.kind === 'decision');
      for (const decision of decisions) {
        expect(graph.edges.filter((e) => e.from === decision.id).map((e) => e.label)).toContain('otherwise');
      }
    },
  );
});

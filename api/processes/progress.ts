// The answers of the process routes: a published process (its input block and its graph), and
// an instance's progress over the graph of the process it runs. The policy version is the one the
// instance pinned, so a later version never redraws a running instance.
import type { z } from 'zod';
import { processGraph } from '../../engine/graph/index.js';
import type { CompiledPolicy, ProcessIR } from '../../engine/ir/types.js';
import type { InstanceView, Store } from '../../store/index.js';
import { notFound } from '../errors.js';
import { type instanceGraphResponse, processJson, type processResponse } from './schemas.js';
import { progressOf } from './states.js';

/** The compiled policy version, or the 404 that names what is missing. */
async function compiledVersion(store: Store, name: string, version: number): Promise<CompiledPolicy> {
  const compiled = await store.policies.compiled(name, version);
  if (compiled === null) throw notFound(`policy "${name}" version ${version}`);
  return compiled;
}

function processIn(compiled: CompiledPolicy, name: string): ProcessIR | undefined {
  return compiled.ir.processes.find((p) => p.name === name);
}

export async function publishedProcess(
  store: Store,
  ref: { name: string; version: number; process: string },
): Promise<z.infer<typeof processResponse>> {
  const compiled = await compiledVersion(store, ref.name, ref.version);
  const process = processIn(compiled, ref.process);
  if (process === undefined) {
    const known = compiled.ir.processes.map((p) => `"${p.name}"`).join(', ');
    throw notFound(
      `process "${ref.process}" of policy "${ref.name}" version ${ref.version} (its processes: ${known})`,
    );
  }
  const policy = { name: ref.name, version: ref.version, sha256: compiled.sha256 };
  return processJson(policy, process, processGraph(process));
}

/**
 * The graph of `view`'s process with each node's state. The view was read first: the ledger is
 * written before the view in every transition, so it is at least as far along as the view.
 */
export async function instanceGraph(
  store: Store,
  view: InstanceView,
): Promise<z.infer<typeof instanceGraphResponse>> {
  const { policy } = view;
  const compiled = await compiledVersion(store, policy.name, policy.version);
  const process = processIn(compiled, view.process);
  if (process === undefined) throw notFound(`process "${view.process}" of instance ${view.instanceId}`);
  const graph = processGraph(process);
  // Its own chain only: the refused attempts (`<instance>/refused`) changed nothing.
  const lines = await store.audit.chainByName(view.instanceId);
  const progress = progressOf(process, graph, lines, view);
  return {
    instanceId: view.instanceId,
    policy: { name: policy.name, version: policy.version, sha256: policy.sha256 },
    process: view.process,
    status: view.status,
    graph: {
      nodes: graph.nodes.map((node) => ({
        ...node,
        ...(progress.get(node.id) ?? { state: 'pending' as const, outcome: null }),
      })),
      edges: graph.edges,
    },
  };
}

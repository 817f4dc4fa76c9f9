// API throughput against one `charter serve` process or two: a read-heavy mix sent round-robin over
// the processes given, which is all a load balancer in front of stateless API processes does. The
// mix, in a fixed rotation of 20 requests: 9 approvers' inboxes (GET /v1/tasks/inbox, over open
// tasks), 9 instance details (GET /v1/instances/{id}, of ended instances: their timeline from the
// ledger, no query to a workflow) and 2 starts (POST /v1/instances: the policy in force, the input
// checked, a workflow started in Temporal). No worker runs meanwhile, so the API processes share
// the machine only with the servers and this load; the instances it starts are terminated at the end.
import { Agent, request } from 'node:http';
import type { LoadTarget } from '../api/load.js';
import { startBody } from './world.js';

export interface MixSources {
  /** One token per approver: whose inbox a read returns. */
  approverTokens: string[];
  /** Ended instances, read as the admin. */
  endedIds: string[];
  adminToken: string;
  requesterToken: string;
  /** Where the instances the starts made are added, for the clean-up. */
  started: Set<string>;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: string;
  /** The answer's status that counts as success. */
  ok: number;
}

const READS_PER_KIND = 9;
const STARTS = 2;

/** The mix's next request, rotating over inboxes, ended instances and starts. */
function mixOf(sources: MixSources): () => Call {
  let turn = 0;
  let inbox = 0;
  let detail = 0;
  let start = 0;
  const slots = 2 * READS_PER_KIND + STARTS;
  return () => {
    const slot = turn++ % slots;
    if (slot < READS_PER_KIND) {
      const token = sources.approverTokens[inbox++ % sources.approverTokens.length]!;
      return { method: 'GET', path: '/v1/tasks/inbox?limit=50', token, ok: 200 };
    }
    if (slot < 2 * READS_PER_KIND) {
      const id = sources.endedIds[detail++ % sources.endedIds.length]!;
      return {
        method: 'GET',
        path: `/v1/instances/${encodeURIComponent(id)}`,
        token: sources.adminToken,
        ok: 200,
      };
    }
    // Inputs differ from every other start of the run: numbers from a million on.
    const body = JSON.stringify(startBody(1_000_000 + start++));
    return { method: 'POST', path: '/v1/instances', token: sources.requesterToken, body, ok: 201 };
  };
}

function send(agent: Agent, port: number, call: Call): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${call.token}`,
    };
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(call.body));
    }
    const outgoing = request(
      { host: '127.0.0.1', port, path: call.path, method: call.method, agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(call.body);
  });
}

/**
 * The mix against `ports`, request k to `ports[k % ports.length]`: one keep-alive agent per
 * process, each allowed all the connections, so the same concurrency meets one process or two.
 */
export function mixTarget(name: string, ports: readonly number[], sources: MixSources): LoadTarget {
  return {
    name,
    open: (connections) => {
      const agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: connections }));
      const next = mixOf(sources);
      let turn = 0;
      return {
        send: async () => {
          const which = turn++ % ports.length;
          const call = next();
          const answer = await send(agents[which]!, ports[which]!, call);
          if (answer.status !== call.ok)
            return `${call.method} ${call.path}: ${answer.status} ${answer.text.slice(0, 200)}`;
          if (call.method === 'POST')
            sources.started.add((JSON.parse(answer.text) as { instanceId: string }).instanceId);
          return null;
        },
        close: () => {
          for (const agent of agents) agent.destroy();
        },
      };
    },
  };
}

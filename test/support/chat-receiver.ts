// A stand-in for chat webhooks (Slack incoming webhooks, Teams Workflows): a real HTTP server on
// 127.0.0.1 and a free port that keeps every POSTed JSON body by path, with the delivery header, and
// answers 200 `ok` as Slack does, or whatever status a test sets for a path (429, 500, 404).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DELIVERY_HEADER } from '../../workflows/notifier.js';

export interface ReceivedPost {
  path: string;
  /** The parsed JSON body; the raw text when it was not JSON. */
  body: unknown;
  /** The `x-charter-delivery` header, when sent. */
  delivery: string | undefined;
  contentType: string | undefined;
}

export interface ChatReceiver {
  /** The URL of a webhook path on this server, e.g. `url('/slack/alice')`. */
  url(path: string): string;
  /** Everything POSTed, in arrival order; with a path, only what went there. */
  received(path?: string): ReceivedPost[];
  /** From now on, `path` answers `status` (with `body`); the post is still recorded. */
  answer(path: string, status: number, body?: string): void;
  close(): Promise<void>;
}

const read = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function startChatReceiver(): Promise<ChatReceiver> {
  const posts: ReceivedPost[] = [];
  const answers = new Map<string, { status: number; body: string }>();
  const server = createServer((request, response) => {
    void read(request).then((text) => {
      const path = new URL(request.url ?? '/', 'http://receiver').pathname;
      const delivery = request.headers[DELIVERY_HEADER];
      posts.push({
        path,
        body: parse(text),
        delivery: Array.isArray(delivery) ? delivery[0] : delivery,
        contentType: request.headers['content-type'],
      });
      const answer = answers.get(path) ?? { status: 200, body: 'ok' };
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`,
    received: (path) => (path === undefined ? [...posts] : posts.filter((p) => p.path === path)),
    answer: (path, status, body = '') => answers.set(path, { status, body }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

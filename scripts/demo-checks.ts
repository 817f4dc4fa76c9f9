// Stand-in external check services for `npm start` when CHARTER_CHECK_SERVICES is not set: every
// service name answers at `http://127.0.0.1:<port>/<name>`, "passed" with a line of evidence,
// except the ones listed in FAILING, which fail the way a real scanner would. So a walkthrough on
// a fresh clone shows a failed check and its waiver without any real scanner at hand.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const FAILING: Record<string, string> = {
  'device-baseline': '3 of 12 laptops in the order lack the disk-encryption baseline (BitLocker off)',
};

export interface DemoChecks {
  base: string;
  /** Service name to URL, for any name a policy uses. */
  services: Record<string, string>;
  close(): Promise<void>;
}

export async function startDemoChecks(): Promise<DemoChecks> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const service = decodeURIComponent((request.url ?? '/').slice(1));
      const failure = FAILING[service];
      const answer =
        failure === undefined
          ? { outcome: 'passed', evidence: `demo check service: ${service} found nothing to report` }
          : { outcome: 'failed', evidence: failure };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const services = new Proxy<Record<string, string>>(
    {},
    { get: (_, name) => (typeof name === 'string' ? `${base}/${encodeURIComponent(name)}` : undefined) },
  );
  return {
    base,
    services,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

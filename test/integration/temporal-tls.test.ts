// Reaching a Temporal cluster that requires mutual TLS: a TLS front (Node's tls server, ALPN h2,
// client certificates required, the way a cluster's frontend or its load balancer asks for them)
// before the test Temporal dev server, and certificates made by openssl for the test. What Charter
// builds from TEMPORAL_TLS_* (workflows/temporal-connection.ts) connects the API's client and the
// worker's native connection through it; without the client certificate, or with the wrong CA,
// nothing connects. The checks of the settings themselves are pure (test/unit/temporal-transport).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '../../workflows/temporal-connection.js';
import { temporalAddress } from '../support/services.js';

let dir: string;
let front: Server;
let frontAddress: string;
const file = (name: string): string => path.join(dir, name);

/** openssl, in the test's folder. */
const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

/** openssl's arguments for a new P-256 key, unencrypted. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A P-256 key and a certificate for `cn` signed by the test CA (with the DNS name `san`). */
function signed(name: string, cn: string, san: string | null, usage: string): void {
  openssl('req', ...NEW_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  const ext = [`extendedKeyUsage=${usage}`, ...(san === null ? [] : [`subjectAltName=DNS:${san}`])].join(
    '\n',
  );
  writeFileSync(file(`${name}.ext`), `${ext}\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'charter-temporal-tls-'));
  for (const ca of ['ca', 'other-ca']) {
    const subject = `/CN=${ca} for Charter's tests`;
    openssl(
      'req',
      '-x509',
      ...NEW_KEY,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-days',
      '1',
      '-subj',
      subject,
    );
  }
  signed('server', 'temporal.charter.test', 'temporal.charter.test', 'serverAuth');
  signed('client', 'charter-worker', null, 'clientAuth');
  writeFileSync(file('api-key'), 'not-checked-by-the-front\n');

  const [host, port] = temporalAddress().split(':');
  front = createServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.pem')),
      ca: readFileSync(file('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      // gRPC is HTTP/2: past TLS, the bytes go to the dev server's plain port as they are.
      const upstream = netConnect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = (): void => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const address = front.address();
  if (address === null || typeof address === 'string') throw new Error('the TLS front has no port');
  frontAddress = `127.0.0.1:${address.port}`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const settings = (overrides: Record<string, string> = {}) => ({
  TEMPORAL_ADDRESS: frontAddress,
  TEMPORAL_TLS_CA_FILE: file('ca.pem'),
  TEMPORAL_TLS_CERT_FILE: file('client.pem'),
  TEMPORAL_TLS_KEY_FILE: file('client.key'),
  TEMPORAL_TLS_SERVER_NAME: 'temporal.charter.test',
  ...overrides,
});

test('when the cluster asks for mutual TLS, then the API client and the worker connection both get through', async () => {
  const options = temporalConnectionOptions(settings({ TEMPORAL_API_KEY_FILE: file('api-key') }));

  const client = await Connection.connect({ ...options, connectTimeout: 10_000 });
  try {
    const info = await client.workflowService.getSystemInfo({});
    expect(info.capabilities).toBeTruthy();
  } finally {
    await client.close();
  }
  const native = await NativeConnection.connect(options);
  await native.close();
}, 60_000);

test('when the client certificate is left out, or the server is checked against another CA, then nothing connects', async () => {
  const withoutCertificate = temporalConnectionOptions({
    TEMPORAL_ADDRESS: frontAddress,
    TEMPORAL_TLS_CA_FILE: file('ca.pem'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal.charter.test',
  });
  const wrongCa = temporalConnectionOptions(settings({ TEMPORAL_TLS_CA_FILE: file('other-ca.pem') }));

  await expect(NativeConnection.connect(withoutCertificate)).rejects.toThrow();
  await expect(NativeConnection.connect(wrongCa)).rejects.toThrow();
  // A plain connection to the TLS front is no connection either.
  await expect(NativeConnection.connect({ address: frontAddress })).rejects.toThrow();
}, 60_000);

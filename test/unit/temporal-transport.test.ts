// TEMPORAL_TLS_* and TEMPORAL_API_KEY_FILE read into connection options: plain unless something asks
// for TLS, files read once, and every mistake named by its variable (the processes exit 2 on it).
// Real connections through a TLS front: test/integration/temporal-tls.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  describeTemporal,
  temporalConnectionOptions,
  TemporalTransportError,
} from '../../workflows/temporal-connection.js';

let dir: string;
const file = (name: string, text: string): string => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'charter-transport-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ADDRESS = 'temporal.example:7233';

test('when nothing asks for TLS, then the connection is plain, as before', () => {
  const options = temporalConnectionOptions({ TEMPORAL_ADDRESS: ADDRESS });
  expect(options).toEqual({ address: ADDRESS });
  expect(describeTemporal(options)).toBe(ADDRESS);
});

test('when the files are given, then they are read into TLS options with the server name and the API key', () => {
  const options = temporalConnectionOptions({
    TEMPORAL_ADDRESS: ADDRESS,
    TEMPORAL_TLS_CA_FILE: file('ca.pem', 'CA'),
    TEMPORAL_TLS_CERT_FILE: file('client.pem', 'CERT'),
    TEMPORAL_TLS_KEY_FILE: file('client.key', 'KEY'),
    TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.example',
    TEMPORAL_API_KEY_FILE: file('key', '  a-key\n'),
  });
  expect(options).toEqual({
    address: ADDRESS,
    tls: {
      serverRootCACertificate: Buffer.from('CA'),
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      serverNameOverride: 'frontend.temporal.example',
    },
    apiKey: 'a-key',
  });
  expect(describeTemporal(options)).toBe(`${ADDRESS} (TLS, client certificate, API key)`);
});

test('when TEMPORAL_TLS is true alone, then TLS uses the system CAs', () => {
  expect(temporalConnectionOptions({ TEMPORAL_ADDRESS: ADDRESS, TEMPORAL_TLS: 'true' })).toEqual({
    address: ADDRESS,
    tls: {},
  });
});

test.each([
  [
    'a certificate without its key',
    { TEMPORAL_TLS_CERT_FILE: '/x/client.pem' },
    'TEMPORAL_TLS_KEY_FILE: TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (a client certificate and its key)',
  ],
  [
    'a key without its certificate',
    { TEMPORAL_TLS_KEY_FILE: '/x/client.key' },
    'TEMPORAL_TLS_CERT_FILE: TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (a client certificate and its key)',
  ],
  [
    'a CA file that is not there',
    { TEMPORAL_TLS_CA_FILE: '/nowhere/ca.pem' },
    'TEMPORAL_TLS_CA_FILE: cannot read /nowhere/ca.pem (ENOENT)',
  ],
  [
    'TLS turned off with a CA given',
    { TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'x' },
    'TEMPORAL_TLS: false, but a TLS file, server name or API key is set (a key must not travel unencrypted)',
  ],
])('when %s is set, then the error names the variable', (_what, overrides, message) => {
  const read = (): unknown => temporalConnectionOptions({ TEMPORAL_ADDRESS: ADDRESS, ...overrides });
  expect(read).toThrow(TemporalTransportError);
  expect(read).toThrow(message);
});

test('when the API key file is empty, then that is said rather than sending no key', () => {
  const empty = file('empty-key', '\n');
  expect(() =>
    temporalConnectionOptions({ TEMPORAL_ADDRESS: ADDRESS, TEMPORAL_API_KEY_FILE: empty }),
  ).toThrow(`TEMPORAL_API_KEY_FILE: ${empty} is empty`);
});

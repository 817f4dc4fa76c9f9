// The production log: JSON lines with the service and level names, a request as one line of its
// fields, and no secret in any message, whether it quotes a token, a connection string with a
// password, or a private key, in the text or in an error's message and stack.
import { Writable } from 'node:stream';
import { processLog, scrub } from '../../../api/logging.js';
import { parseEnvFile } from '../../../workflows/env-file.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const TOKEN = `chr_${'A1b2'.repeat(10)}xyz`;
const KEY = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';

describe('scrub', () => {
  test.each([
    [`sign in failed for ${TOKEN}`, 'sign in failed for chr_[redacted]'],
    [
      'cannot reach mongodb://charter:s3cr%40t@db-1:27017/?replicaSet=rs0',
      'cannot reach mongodb://[redacted]@db-1:27017/?replicaSet=rs0',
    ],
    [
      'webhook https://user:pw@chat.example/hook failed',
      'webhook https://[redacted]@chat.example/hook failed',
    ],
    [`bad key ${KEY} given`, 'bad key [private key redacted] given'],
    ['mongodb://db-1:27017/ without credentials stays', 'mongodb://db-1:27017/ without credentials stays'],
  ])('when a message reads %j, then it is logged as %j', (text, logged) => {
    expect(scrub(text)).toBe(logged);
  });
});

describe('processLog', () => {
  test('when a line, an error and a request are logged, then each is one JSON object and no secret is written', () => {
    const out = capture();
    const log = processLog('serve', out.stream);

    log.line('charter serve ready: http://127.0.0.1:3000');
    log.line(
      `charter serve: could not start with ${TOKEN}`,
      new Error(`connect to mongodb://u:p@h/ with ${TOKEN}`),
    );
    log.request({
      requestId: 'r-1',
      method: 'GET',
      route: '/v1/instances/:id',
      status: 503,
      ms: 12,
      person: 'rita@halden.example',
      instanceId: 'purchase-1',
    });
    log.flush();

    const [ready, failed, request] = out.lines();
    expect(ready).toMatchObject({
      level: 'info',
      service: 'charter-serve',
      msg: 'charter serve ready: http://127.0.0.1:3000',
    });
    expect(typeof ready!['time']).toBe('string');
    expect(failed).toMatchObject({
      level: 'error',
      error: { type: 'Error', message: 'connect to mongodb://[redacted]@h/ with chr_[redacted]' },
    });
    expect(request).toMatchObject({
      level: 'error',
      kind: 'request',
      route: '/v1/instances/:id',
      person: 'rita@halden.example',
      instanceId: 'purchase-1',
    });
    expect(JSON.stringify(out.lines())).not.toMatch(/chr_A1b2|u:p@/);
  });
});

describe('parseEnvFile', () => {
  const known = new Set(['CHARTER_DATABASE', 'CHARTER_WEBHOOKS']);

  test('when a file has comments, export, quotes and JSON, then each value is read as written', () => {
    const text = `# settings\nexport CHARTER_DATABASE = "charter_prod"\n\nCHARTER_WEBHOOKS='[{"url":"https://x.example/h","secret":"0123456789abcdef"}]'\n`;

    expect(parseEnvFile(text, known, 'f.env')).toEqual({
      CHARTER_DATABASE: 'charter_prod',
      CHARTER_WEBHOOKS: '[{"url":"https://x.example/h","secret":"0123456789abcdef"}]',
    });
  });

  test.each([
    ['CHARTER_DATABSE=x', 'f.env:1: CHARTER_DATABSE is not a Charter setting'],
    ['CHARTER_DATABASE=a\nCHARTER_DATABASE=b', 'f.env:2: CHARTER_DATABASE is set twice'],
    ['just words', 'f.env:1: expected NAME=value'],
    ["CHARTER_DATABASE='open", "f.env:1: the ' quote is not closed"],
  ])('when the file reads %j, then it is refused with %j', (text, message) => {
    expect(() => parseEnvFile(text, known, 'f.env')).toThrow(message);
  });
});

// The API server as `npm start` runs it: configuration from the environment, real connections to
// the test servers, a real port. Readiness answers from both servers, a token issued in the store
// opens /v1/me, and closing frees the port and the connections.
import { issueToken } from '../../api/auth.js';
import { ApiConfigError, apiConfig } from '../../api/config.js';
import { startApiServer, type ApiServer } from '../../api/server.js';
import { connectMongo, databaseNameFor, mongodbUri, temporalAddress } from '../support/services.js';
import { useQuietTemporalRuntime } from '../support/temporal.js';

const database = databaseNameFor(import.meta.url);

describe('the API server started from its configuration', () => {
  let server: ApiServer;

  beforeAll(async () => {
    useQuietTemporalRuntime();
    server = await startApiServer(
      apiConfig({
        TEMPORAL_ADDRESS: temporalAddress(),
        MONGODB_URI: mongodbUri(),
        CHARTER_DATABASE: database,
        CHARTER_API_PORT: '0',
      }),
      { log: () => undefined },
    );
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    const mongo = await connectMongo();
    await mongo.db(database).dropDatabase();
    await mongo.close();
  });

  test('listens on the port the OS picked and is ready with both servers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', mongo: 'ok', temporal: 'ok' });
  });

  test('a token stored in its database opens /v1/me; no token is 401', async () => {
    const token = await issueToken(
      server.store,
      'nina.vogel@halden.example',
      ['approver'],
      'test',
      new Date(),
    );
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ person: 'nina.vogel@halden.example', roles: ['approver'] });
    expect((await fetch(`${server.url}/v1/me`)).status).toBe(401);
  });

  test('after close the port refuses connections, and closing twice is harmless', async () => {
    const other = await startApiServer(
      apiConfig({
        TEMPORAL_ADDRESS: temporalAddress(),
        MONGODB_URI: mongodbUri(),
        CHARTER_DATABASE: database,
        CHARTER_API_PORT: '0',
      }),
    );
    expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
    await other.close();
    await other.close();
    await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
  });

  test('a taken port is an error at start, not a crash', async () => {
    const port = new URL(server.url).port;
    await expect(
      startApiServer(
        apiConfig({
          TEMPORAL_ADDRESS: temporalAddress(),
          MONGODB_URI: mongodbUri(),
          CHARTER_DATABASE: database,
          CHARTER_API_PORT: port,
        }),
      ),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('the API configuration', () => {
  test('defaults match the dev profile of `npm start`', () => {
    expect(apiConfig({})).toEqual({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/',
      CHARTER_DATABASE: 'charter',
      CHARTER_TASK_QUEUE: 'charter',
      CHARTER_API_HOST: '127.0.0.1',
      CHARTER_API_PORT: 3000,
      CHARTER_BOOTSTRAP_ADMIN: 'admin@charter.local',
      CHARTER_LOG_FORMAT: 'json',
      CHARTER_SHUTDOWN_GRACE_MS: 10_000,
      CHARTER_SHUTDOWN_DRAIN_MS: 0,
      // Single sign-on stays off (no CHARTER_OIDC_ISSUER); these only say how it would read claims.
      CHARTER_OIDC_GROUPS_CLAIM: 'groups',
      CHARTER_OIDC_PERSON_CLAIM: 'email',
      CHARTER_OIDC_SCOPES: 'openid email profile',
    });
  });

  test('every bad value is named with its variable', () => {
    let caught: unknown;
    try {
      apiConfig({ CHARTER_API_PORT: '70000', MONGODB_URI: 'postgres://x', CHARTER_DATABASE: 'a b' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiConfigError);
    const message = (caught as Error).message;
    expect(message).toContain('CHARTER_API_PORT: must be between 0 and 65535');
    expect(message).toContain('MONGODB_URI: must be a mongodb:// URI');
    expect(message).toContain('CHARTER_DATABASE');
    expect(() => apiConfig({ CHARTER_API_PORT: 'http' })).toThrow(/CHARTER_API_PORT/);
  });
});

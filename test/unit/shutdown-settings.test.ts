// How long the production processes take to stop, as they read it at start: `charter serve`'s drain
// (CHARTER_SHUTDOWN_DRAIN_MS, /readyz 503 while still serving) and `charter worker`'s grace for
// running activities (CHARTER_WORKER_SHUTDOWN_GRACE_MS). Defaults, good values, and a bad value
// refused with the variable named. The drain itself runs in test/integration/serve.test.ts.
import { ApiConfigError, apiConfig } from '../../api/config.js';
import { ConfigError, workerConfig } from '../../workflows/config.js';

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ApiConfigError || error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the value was accepted');
}

describe('CHARTER_SHUTDOWN_DRAIN_MS (charter serve)', () => {
  test('when it is not set, then serve stops accepting at once; a value in ms is read as a number', () => {
    expect(apiConfig({}).CHARTER_SHUTDOWN_DRAIN_MS).toBe(0);
    expect(apiConfig({ CHARTER_SHUTDOWN_DRAIN_MS: '15000' }).CHARTER_SHUTDOWN_DRAIN_MS).toBe(15_000);
  });

  test('when it is not a whole number of ms up to 5 minutes, then serve names it', () => {
    for (const bad of ['soon', '-1', '1.5', '300001'])
      expect(refusal(() => apiConfig({ CHARTER_SHUTDOWN_DRAIN_MS: bad }))).toContain(
        'CHARTER_SHUTDOWN_DRAIN_MS:',
      );
  });
});

describe('CHARTER_WORKER_SHUTDOWN_GRACE_MS (charter worker)', () => {
  test('when it is not set, then running activities get 10 s; a value in ms is read as a number', () => {
    expect(workerConfig({}).CHARTER_WORKER_SHUTDOWN_GRACE_MS).toBe(10_000);
    expect(workerConfig({ CHARTER_WORKER_SHUTDOWN_GRACE_MS: '60000' }).CHARTER_WORKER_SHUTDOWN_GRACE_MS).toBe(
      60_000,
    );
  });

  test('when it is not a whole number of ms up to an hour, then the worker names it', () => {
    for (const bad of ['ten seconds', '-5', '3600001'])
      expect(refusal(() => workerConfig({ CHARTER_WORKER_SHUTDOWN_GRACE_MS: bad }))).toContain(
        'CHARTER_WORKER_SHUTDOWN_GRACE_MS:',
      );
  });
});

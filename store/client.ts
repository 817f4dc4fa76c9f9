// The MongoDB client every Charter process uses, made to survive a restarted server.
//
// The driver's defaults wait forever on a socket the server left half-open (no socket timeout),
// and against FerretDB, which does not stream topology changes, a monitor stuck that way kept a
// worker cut off for minutes after the server was back; bounded socket and connect times and
// frequent heartbeats let it notice and reconnect. That was not all: in some storage-outage runs
// (1 in 2 to 1 in 10, more often on a loaded machine) the client's server monitor went silent
// after the restart: no heartbeat succeeded or failed any more, and every operation failed
// server selection with the error of the connection that died in the outage. The cause inside
// the driver is not pinned down; this watchdog notices the silence (no completed heartbeat for
// MONITOR_SILENCE_MS, 7+ heartbeat periods), closes the client and connects it again: the Db and
// collection objects the repositories hold use the client's new topology.
import { MongoClient } from 'mongodb';

const HEARTBEAT_MS = 2_000;
const MONITOR_SILENCE_MS = 15_000;

export interface ClientOptions {
  /** Told when the watchdog restarts the connection (for the process's log). */
  onReconnect?: (why: string) => void;
  /** Emit the driver's command events (tests count and explain what the store sends). */
  monitorCommands?: boolean;
}

export function mongoClient(uri: string, options: ClientOptions = {}): MongoClient {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 10_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 60_000,
    heartbeatFrequencyMS: HEARTBEAT_MS,
    monitorCommands: options.monitorCommands ?? false,
  });
  let lastHeartbeat = Date.now();
  let open = false;
  let restarting = false;
  const heard = (): void => {
    lastHeartbeat = Date.now();
  };
  client.on('serverHeartbeatSucceeded', heard);
  client.on('serverHeartbeatFailed', heard);
  client.on('topologyOpening', () => {
    open = true;
    heard();
  });
  client.on('topologyClosed', () => {
    open = false;
  });
  const watchdog = setInterval(() => {
    const silent = Date.now() - lastHeartbeat;
    if (!open || restarting || silent < MONITOR_SILENCE_MS) return;
    restarting = true;
    options.onReconnect?.(`no MongoDB heartbeat for ${Math.round(silent / 1000)} s: reconnecting`);
    // Closing fails what is in flight (activities retry it); until connect() is back, operations
    // fail at once with "not connected", and are retried too.
    void client
      .close()
      .then(() => client.connect())
      .catch((error: unknown) => options.onReconnect?.(`reconnecting failed: ${String(error)}`))
      .finally(() => {
        restarting = false;
        heard();
      });
  }, HEARTBEAT_MS);
  watchdog.unref();
  return client;
}

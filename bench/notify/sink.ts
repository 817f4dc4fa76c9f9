// The benchmark's SMTP server, in a process of its own so that receiving shares no event loop with
// the sender being measured: a real smtp-server on 127.0.0.1 that takes every mail, keeps nothing
// but a count, and answers `{ received }` to any IPC message.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  logger: false,
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  // The sender keeps pooled connections open between rounds.
  maxClients: 64,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received += 1;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.server.address() as AddressInfo).port, received });
});
process.on('message', () => process.send?.({ port: 0, received }));
process.on('disconnect', () => server.close(() => process.exit(0)));

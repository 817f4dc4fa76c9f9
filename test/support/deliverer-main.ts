// A notification deliverer as an OS process of its own, for the drills that SIGKILL one mid-send
// (test/integration/notify-drill.test.ts): the worker's Deliverer on the store of CHARTER_DATABASE,
// with the worker's notification settings from the environment, a short lease and poll so a drill
// does not wait a minute for a dead process's lease. Prints "deliverer ready" once it polls.
import { mongoClient, openStore } from '../../store/index.js';
import { workerConfig } from '../../workflows/config.js';
import { smtpSettingsOf } from '../../workflows/notify/config.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { SmtpSender } from '../../workflows/notify/transport/smtp.js';

const config = workerConfig(process.env);
const mongo = mongoClient(config.MONGODB_URI, { onReconnect: (why) => console.log(why) });
await mongo.connect();
const store = await openStore(mongo.db(config.CHARTER_DATABASE));
const mail =
  config.CHARTER_SMTP_HOST === undefined ? null : new SmtpSender(smtpSettingsOf(config), { pool: false });
const deliverer = new Deliverer(store, {
  publicUrl: config.CHARTER_PUBLIC_URL,
  senders: { mail, chat: new ChatSender() },
  hourlyLimit: config.CHARTER_NOTIFY_HOURLY_LIMIT,
  leaseMs: Number(process.env['CHARTER_TEST_LEASE_MS'] ?? 2_000),
  pollMs: 100,
  batch: Number(process.env['CHARTER_TEST_BATCH'] ?? 5),
});
deliverer.start((line) => console.log(line));
console.log('deliverer ready');
const stop = async (): Promise<void> => {
  await deliverer.stop();
  mail?.close();
  await mongo.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

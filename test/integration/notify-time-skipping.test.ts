// Notifications on the time-skipping server: the policy's timers run on the policy's calendar, and
// only delivery waits for the recipient. The policy here works evenings (18:00-23:00 Berlin), so
// its reminders fall after the approver's working day (09:00-17:00 Berlin): the reminder is
// planned when the timer fires, held at delivery, and mailed at 09:00 of the next working day.
// Everything else the run planned (the task, the decision on the request) arrives exactly once.
import { compileEntry, memoryHost } from '../../dsl/index.js';
import type { CompiledPolicy } from '../../engine/ir/types.js';
import { charterInstance } from '../../workflows/definitions/instance.js';
import { Deliverer } from '../../workflows/notify/deliverer.js';
import { messageIdHeader, SmtpSender } from '../../workflows/notify/transport/smtp.js';
import { ChatSender } from '../../workflows/notify/transport/chat.js';
import { startMailServer, type MailServer } from '../support/mail-server.js';
import { startTimeSkippingCharter, type TimeSkippingCharter } from '../support/time-skipping.js';

const POLICY = `policy "Evening access" version 1 effective 2026-01-01
owner "pmo@example.com"
calendar evenings {
  timezone "Europe/Berlin"
  hours mon-fri 18:00-23:00
}
role approvers = group "approvers"

process access {
  input {
    requester: person
    system: text
  }
  approve review {
    by approvers
    within 2 business hours on evenings
    remind every 1 business hour on evenings
    on timeout reject "no decision in time"
  }
  end approved "access to {request.system} granted"
}
`;

const ALICE = 'alice@example.com';
const RITA = 'rita@example.com';
const BERLIN = 'Europe/Berlin';

function compiled(): CompiledPolicy {
  const out = compileEntry('evening.charter', memoryHost({ 'evening.charter': POLICY }));
  if (!out.compiled) throw new Error(out.diagnostics.map((d) => d.message).join('\n'));
  return out.compiled;
}

/** Berlin's wall clock of `at`: weekday (0 = Sunday), hour and minute. */
function berlin(at: number): { weekday: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: BERLIN,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { weekday, hour: Number(get('hour')), minute: Number(get('minute')) };
}

/**
 * The first Monday 20:00 in Berlin after `now`. The test server's clock starts at the wall clock;
 * started at whatever hour CI runs, the two business hours could end on the next evening, after
 * the requester's working day, and her message would rightly wait another night.
 */
function mondayEvening(now: number): number {
  let at = Math.ceil(now / 3_600_000) * 3_600_000;
  for (;;) {
    const b = berlin(at);
    if (b.weekday === 1 && b.hour === 20 && b.minute === 0) return at;
    at += 3_600_000;
  }
}

describe('notifications on the time-skipping server', () => {
  let charter: TimeSkippingCharter;
  let mail: MailServer;

  beforeAll(async () => {
    charter = await startTimeSkippingCharter(
      import.meta.url,
      { groups: { approvers: [ALICE] }, managers: {}, people: [RITA] },
      { shutdownGraceTime: '1 second' },
    );
    mail = await startMailServer();
    for (const person of [ALICE, RITA]) {
      await charter.store.deliverySettings.setProfile(person, {
        email: person,
        zone: BERLIN,
        workingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
      });
    }
  }, 120_000);

  afterAll(async () => {
    await mail?.close();
    await charter?.close();
  });

  test('a reminder fired after working hours is held until 09:00 of the next working day', async () => {
    const { env, store, worker, taskQueue } = charter;
    const instanceId = `${taskQueue}-evening`;
    const startAt = mondayEvening(await env.currentTimeMs());
    await env.sleep(startAt - (await env.currentTimeMs()));
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(charterInstance, {
        args: [
          {
            policy: compiled(),
            process: 'access',
            input: { requester: RITA, system: 'SAP' },
            instanceId,
            startedBy: RITA,
          },
        ],
        taskQueue,
        workflowId: instanceId,
      });
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'rejected' });

    // The timer ran on the policy's evening calendar, untouched by anyone's working hours.
    const { events } = await store.audit.query({ instanceId, fact: 'reminded' }, { limit: 10 });
    expect(events.length).toBeGreaterThanOrEqual(1);
    const reminder = events[0]!;
    const fired = berlin(reminder.at.getTime());
    expect(fired).toEqual({ weekday: 1, hour: 21, minute: 0 });

    const mailer = new SmtpSender(
      {
        host: '127.0.0.1',
        port: mail.port,
        starttls: 'off',
        user: null,
        password: null,
        from: 'charter@example.com',
      },
      { pool: false },
    );
    let clock = reminder.at.getTime();
    const deliverer = new Deliverer(store, {
      publicUrl: 'https://charter.example.org',
      senders: { mail: mailer, chat: new ChatSender() },
      now: () => new Date(clock),
    });
    try {
      // At the moment the reminder fired: everything due by then is decided; the reminder is held.
      while ((await deliverer.deliverDue()) > 0);
      const held = await store.deliveries.get(`${reminder.id}/${ALICE}/email`);
      expect(held).toMatchObject({ status: 'pending' });
      const until = held!.availableAt.getTime();
      const reminderMail = messageIdHeader(`${reminder.id}/${ALICE}/email`);
      const morning = berlin(until);
      expect(morning).toMatchObject({ hour: 9, minute: 0 });
      expect(morning.weekday).toBe(2);
      // Twelve hours after it fired (less the moments the workflow took to start).
      expect(Math.round((until - reminder.at.getTime()) / 60_000)).toBe(12 * 60);
      expect(held!.note).toMatch(/held until/);
      expect(mail.mails.filter((m) => m.messageId === reminderMail)).toEqual([]);

      // A minute before nine it is still held; at nine it goes out, once.
      clock = until - 60_000;
      while ((await deliverer.deliverDue()) > 0);
      expect((await store.deliveries.get(`${reminder.id}/${ALICE}/email`))?.status).toBe('pending');
      clock = until;
      while ((await deliverer.deliverDue()) > 0);
      expect((await store.deliveries.get(`${reminder.id}/${ALICE}/email`))?.status).toBe('delivered');
      const reminders = mail.mails.filter((m) => m.messageId === reminderMail);
      expect(reminders).toHaveLength(1);
      expect(reminders[0]!.to).toEqual([ALICE]);
      expect(reminders[0]!.subject).toMatch(/review/i);

      // Later in the morning, everything else the run planned went out, each exactly once.
      clock = until + 3_600_000;
      while ((await deliverer.deliverDue()) > 0);
      const ids = mail.mails.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      const toRita = mail.mails.filter((m) => m.to.includes(RITA));
      expect(toRita.some((m) => /rejected/i.test(`${m.subject} ${m.text}`))).toBe(true);
    } finally {
      mailer.close();
    }
  }, 120_000);
});

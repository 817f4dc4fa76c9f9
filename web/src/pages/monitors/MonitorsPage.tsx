// /monitors, for everyone: the protocol monitors of the policies in force (GET /v1/monitors), each
// run by a schedule, with when it runs, whether it is paused and why, its next and last run and
// its live findings. Admins operate the schedules: Pause asks why in a dialog, Resume and Run now
// act at once, Backfill asks for the days. What was done is said in the status line above the
// table (where focus goes when the button that was pressed is gone), and the list reads again.
import { useId, useRef, useState } from 'react';
import { type ApiFailure, api, asFailure, idempotencyKey, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { hasRole, useSignedIn } from '../../app/session.js';
import { Empty, ErrorNotice, Loaded } from '../../components/states.js';
import { dayText } from '../findings/finding-view.js';
import { type Backfilled, BackfillDialog } from './BackfillDialog.js';
import { type Monitor, monitorLabel, type MonitorsAnswer } from './monitor-view.js';
import { type MonitorAction, MonitorsTable } from './MonitorsTable.js';
import { PauseDialog } from './PauseDialog.js';

const readMonitors = (): Promise<MonitorsAnswer> => unwrap(api.GET('/v1/monitors'));

/** Resume or run now: one request each, with a key of its own so a retried click acts once. */
function act(m: Monitor, action: 'resume' | 'run'): Promise<unknown> {
  const params = {
    path: { policy: m.policy.name, monitor: m.monitor },
    header: { 'Idempotency-Key': idempotencyKey() },
  };
  return action === 'resume'
    ? unwrap(api.POST('/v1/monitors/{policy}/{monitor}/resume', { params, body: {} }))
    : unwrap(api.POST('/v1/monitors/{policy}/{monitor}/run', { params }));
}

type Open = { kind: 'pause' | 'backfill'; monitor: Monitor } | null;
type Outcome = { ok: true; text: string } | { ok: false; failure: ApiFailure; title: string } | null;

export function MonitorsPage() {
  const who = useSignedIn();
  const id = useId();
  const canOperate = hasRole(who, 'admin');
  const read = useLive('monitors', readMonitors, { intervalMs: 10_000 });
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);

  const done = async (text: string): Promise<void> => {
    await read.reload();
    setOutcome({ ok: true, text });
    setOpen(null);
  };

  const onAction = (m: Monitor, action: MonitorAction): void => {
    setOutcome(null);
    if (action === 'pause' || action === 'backfill') {
      setOpen({ kind: action, monitor: m });
      return;
    }
    setBusy(`${m.scheduleId}:${action}`);
    act(m, action)
      .then(() =>
        done(
          action === 'resume'
            ? `${monitorLabel(m)} is running again from its next scheduled time.`
            : `${monitorLabel(m)} was asked to run now; its result shows under Last run once it is done.`,
        ),
      )
      .catch((error: unknown) => {
        const verb = action === 'resume' ? 'resumed' : 'run';
        setOutcome({ ok: false, failure: asFailure(error), title: `Not ${verb}: ${monitorLabel(m)}` });
      })
      .finally(() => setBusy(null));
  };

  const backfilled = (m: Monitor, answer: Backfilled): void => {
    const days = answer.from && answer.to ? ` from ${dayText(answer.from)} to ${dayText(answer.to)}` : '';
    void done(`${monitorLabel(m)} makes up its runs${days}, oldest first.`);
  };

  return (
    <section className="page portfolio monitors" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Monitors</h1>
      <p className="lead">
        The policies’ monitors judge every project on a schedule and open a finding for each that fails. Here
        is when each runs, how its last run went and what is open. Runs missed while a monitor is paused are
        not made up.
      </p>
      <div aria-live="polite">
        {outcome?.ok ? (
          <p ref={outcomeRef} className="notice notice-ok" tabIndex={-1}>
            {outcome.text}
          </p>
        ) : null}
      </div>
      {outcome && !outcome.ok ? <ErrorNotice failure={outcome.failure} title={outcome.title} /> : null}
      <Loaded read={read} what="the monitors">
        {(answer) =>
          answer.items.length === 0 ? (
            <Empty title="No monitor is in force">
              Policies declare monitors (
              <code>
                monitor … {'{'} every mon 08:00 … {'}'}
              </code>
              ); the monitors of the versions in force are listed here.
            </Empty>
          ) : (
            <MonitorsTable items={answer.items} canOperate={canOperate} busy={busy} onAction={onAction} />
          )
        }
      </Loaded>
      {open?.kind === 'pause' ? (
        <PauseDialog
          monitor={open.monitor}
          onPaused={() => void done(`${monitorLabel(open.monitor)} is paused.`)}
          onCancel={() => setOpen(null)}
          returnFocus={() => outcomeRef.current?.focus()}
        />
      ) : null}
      {open?.kind === 'backfill' ? (
        <BackfillDialog
          monitor={open.monitor}
          onRequested={(answer) => backfilled(open.monitor, answer)}
          onCancel={() => setOpen(null)}
        />
      ) : null}
    </section>
  );
}

// The approver's inbox: every open task of the signed-in person and of those they stand in for,
// filtered and sorted in the browser, in a virtualised list; a task opens in the side panel
// (/tasks/<id>, which a mail links to). Every action goes through a confirmation; a refusal shows
// the engine's code in the panel; a task acted on leaves the list at once, and the live read
// (every 2 s) removes tasks decided elsewhere. Keyboard: j/k, Enter, a, r, x, Escape.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiFailure } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { navigate } from '../../app/router.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { ActionDialog } from './ActionDialog.js';
import { type ActionFields, type ActionKind, actionSpec } from './actions.js';
import { BulkBar, type BulkOutcome, BulkResults } from './BulkBar.js';
import {
  applyFilters,
  filterChoices,
  type Filters,
  NO_FILTERS,
  readWholeInbox,
  type Task,
  taskPath,
} from './inbox-data.js';
import { InboxFilters } from './InboxFilters.js';
import { ShortcutsHint, useInboxKeys } from './shortcuts.js';
import { stepFacts, type StepFacts, usePolicyFacts } from './policy-facts.js';
import { TaskList } from './TaskList.js';
import { type Refusal, TaskPanel } from './TaskPanel.js';

/** Relative deadlines ("due in 3 business hours") are recomputed this often. */
const CLOCK_TICK_MS = 30_000;

const PRIMARY: Record<Task['kind'], ActionKind> = {
  approval: 'approve',
  waiver: 'waive',
  attestation: 'attest',
};

export function InboxPage({ taskId }: { taskId: string | null }) {
  const inbox = useLive('inbox', readWholeInbox);
  const [now, setNow] = useState(() => Date.now());
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [selectedId, setSelectedId] = useState<string | null>(taskId);
  const [focusRequest, setFocusRequest] = useState(0);
  const [panelFocus, setPanelFocus] = useState(taskId === null ? 0 : 1);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [acted, setActed] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<{ kind: ActionKind; task: Task } | null>(null);
  const [refusals, setRefusals] = useState<ReadonlyMap<string, Refusal>>(new Map());
  const [status, setStatus] = useState('');
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | null>(null);
  const [panelTask, setPanelTask] = useState<Task | null>(null);
  const followingSelection = useRef(false);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => window.clearInterval(timer);
  }, []);

  // A task opened by a link, a click or a deep link becomes the selection, and the panel takes
  // the focus; one reached with j/k leaves the focus in the list.
  useEffect(() => {
    if (taskId === null) return;
    setSelectedId(taskId);
    if (followingSelection.current) followingSelection.current = false;
    else setPanelFocus((n) => n + 1);
  }, [taskId]);

  // A thousand tasks arriving re-render the list in an interruptible render, not one long task.
  const all = useDeferredValue(inbox.data);
  // Tasks acted on here leave at once; they are forgotten when the live read no longer has them.
  useEffect(() => {
    if (!all || acted.size === 0) return;
    const present = new Set(all.map((t) => t.id));
    if ([...acted].some((id) => !present.has(id)))
      setActed(new Set([...acted].filter((id) => present.has(id))));
  }, [all, acted]);
  const tasks = useMemo(() => (all ?? []).filter((t) => !acted.has(t.id)), [all, acted]);
  const shown = useMemo(() => applyFilters(tasks, filters, now), [tasks, filters, now]);
  const choices = useMemo(() => filterChoices(tasks, now), [tasks, now]);
  const byId = useMemo(() => new Map(tasks.map((t) => [t.id, t])), [tasks]);

  const policyRefs = useMemo(() => tasks.map((t) => t.policy), [tasks]);
  const policyOf = usePolicyFacts(panelTask ? [...policyRefs, panelTask.policy] : policyRefs);
  const factsOf = useCallback(
    (task: Task): StepFacts | null => {
      const facts = policyOf(task.policy);
      return facts ? stepFacts(facts, task.process, task.step, task.kind) : null;
    },
    [policyOf],
  );

  const openTask =
    taskId === null ? null : (byId.get(taskId) ?? (panelTask?.id === taskId ? panelTask : null));
  const target = (): Task | null => openTask ?? (selectedId === null ? null : (byId.get(selectedId) ?? null));

  const check = useCallback((id: string, on: boolean): void => {
    setChecked((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const startAction = (kind: ActionKind, task: Task): void => {
    setRefusals((m) => {
      if (!m.has(task.id)) return m;
      const next = new Map(m);
      next.delete(task.id);
      return next;
    });
    setDialog({ kind, task });
  };

  const move = (step: 1 | -1): void => {
    if (shown.length === 0) return;
    const at = shown.findIndex((t) => t.id === selectedId);
    const index =
      at < 0 ? (step === 1 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, at + step));
    const next = shown[index];
    if (!next) return;
    setSelectedId(next.id);
    setFocusRequest((n) => n + 1);
    if (taskId !== null && next.id !== taskId) {
      followingSelection.current = true;
      navigate(taskPath(next.id), { replace: true });
    }
  };

  const closePanel = (): void => {
    if (taskId === null) return;
    navigate('/inbox');
    setFocusRequest((n) => n + 1);
  };

  useInboxKeys(
    {
      next: () => move(1),
      previous: () => move(-1),
      open: () => {
        if (selectedId !== null) navigate(taskPath(selectedId));
      },
      approve: () => {
        const t = target();
        if (t && t.status === 'open') startAction(PRIMARY[t.kind], t);
      },
      reject: () => {
        const t = target();
        if (t && t.status === 'open' && t.kind === 'approval') startAction('reject', t);
      },
      toggleCheck: () => {
        if (selectedId !== null) check(selectedId, !checked.has(selectedId));
      },
      close: closePanel,
    },
    dialog === null,
  );

  /** The task after `id` in the list (or before it, at the end): where the selection goes next. */
  const neighbourOf = (id: string): string | null => {
    const at = shown.findIndex((t) => t.id === id);
    if (at < 0) return null;
    return (shown[at + 1] ?? shown[at - 1])?.id ?? null;
  };

  const done = (kind: ActionKind, task: Task, fields: ActionFields): void => {
    const spec = actionSpec(kind, false);
    setDialog(null);
    if (spec.closes) {
      setActed((s) => new Set([...s, task.id]));
      check(task.id, false);
      setSelectedId(neighbourOf(task.id));
      if (taskId === task.id) navigate('/inbox', { replace: true });
      setFocusRequest((n) => n + 1);
      setStatus(`${spec.done} “${task.title}” (${task.instanceId}).`);
    } else {
      const [y, m, d] = fields.until.split('-').map(Number);
      const until = new Date(y ?? 0, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, {
        dateStyle: 'full',
      });
      setStatus(`Delegated your decisions to ${fields.to.trim()} until the end of ${until}.`);
    }
    void inbox.reload();
  };

  const refused = (kind: ActionKind, task: Task, failure: ApiFailure): void => {
    setDialog(null);
    setRefusals((m) => new Map(m).set(task.id, { kind, failure }));
    if (taskId !== task.id) navigate(taskPath(task.id));
    void inbox.reload();
  };

  const bulkDone = (outcome: BulkOutcome): void => {
    setActed((s) => new Set([...s, ...outcome.approved]));
    setChecked(new Set());
    setBulkOutcome(outcome);
    if (taskId !== null && outcome.approved.includes(taskId)) navigate('/inbox', { replace: true });
    void inbox.reload();
  };

  const selectedTasks = shown.filter((t) => checked.has(t.id));
  const overdue = choices.dueCounts.overdue;
  const forOthers = tasks.filter((t) => t.onBehalfOf !== null).length;
  return (
    <section className="page inbox" aria-labelledby="inbox-title">
      <div className="inbox-head">
        <div>
          <h1 id="inbox-title">Inbox</h1>
          {all && tasks.length > 0 ? (
            <p className="lead">
              {tasks.length === 1 ? '1 task waits' : `${tasks.length} tasks wait`} for you
              {overdue > 0 ? ` · ${overdue} overdue` : ''}
              {forOthers > 0 ? ` · ${forOthers} on behalf of others` : ''}
            </p>
          ) : null}
        </div>
        <ShortcutsHint />
      </div>
      <div role="status" aria-live="polite" className="inbox-status">
        {status ? (
          <p className="notice notice-ok">
            {status}{' '}
            <button type="button" className="button button-quiet" onClick={() => setStatus('')}>
              Dismiss
            </button>
          </p>
        ) : null}
      </div>
      {bulkOutcome ? <BulkResults outcome={bulkOutcome} onDismiss={() => setBulkOutcome(null)} /> : null}
      <div className={`inbox-layout${taskId !== null ? ' has-panel' : ''}`}>
        <div className="inbox-main">
          {all === null ? (
            inbox.error ? (
              <ErrorNotice
                failure={inbox.error}
                title="Could not load your inbox"
                onRetry={() => void inbox.reload()}
              />
            ) : (
              <Loading what="your tasks" />
            )
          ) : (
            <>
              {inbox.error ? (
                <p className="notice notice-warning" role="status">
                  Could not refresh ({inbox.error.message}, <code>{inbox.error.code}</code>); showing what was
                  loaded before.
                </p>
              ) : null}
              {tasks.length === 0 ? (
                <Empty title="Nothing waits for you">
                  <p>
                    When a request needs your decision, it appears here. So do the tasks of colleagues who
                    delegate their decisions to you while they are away, marked “on behalf of”. Going away
                    yourself? Delegate from any of your tasks to hand your decisions to a stand-in until a
                    date you choose.
                  </p>
                </Empty>
              ) : (
                <>
                  <InboxFilters filters={filters} choices={choices} onChange={setFilters} />
                  {selectedTasks.length > 0 ? (
                    <BulkBar
                      selected={selectedTasks}
                      onClear={() => setChecked(new Set())}
                      onDone={bulkDone}
                    />
                  ) : null}
                  {shown.length === 0 ? (
                    <Empty title="No task matches these filters">
                      <button
                        type="button"
                        className="button"
                        onClick={() => setFilters({ ...NO_FILTERS, sort: filters.sort })}
                      >
                        Clear filters
                      </button>
                    </Empty>
                  ) : (
                    <>
                      <ListHeader
                        shown={shown}
                        total={tasks.length}
                        checked={checked}
                        setChecked={setChecked}
                      />
                      <TaskList
                        tasks={shown}
                        selectedId={selectedId}
                        openId={taskId}
                        checked={checked}
                        onCheck={check}
                        onSelect={setSelectedId}
                        focusRequest={focusRequest}
                        now={now}
                        factsOf={factsOf}
                      />
                    </>
                  )}
                </>
              )}
            </>
          )}
        </div>
        {taskId !== null ? (
          <TaskPanel
            key={taskId}
            taskId={taskId}
            listed={byId.get(taskId)}
            factsOf={factsOf}
            now={now}
            refusal={refusals.get(taskId) ?? null}
            focusKey={panelFocus}
            onAction={startAction}
            onClose={closePanel}
            onTask={setPanelTask}
          />
        ) : null}
      </div>
      {dialog ? (
        <ActionDialog
          kind={dialog.kind}
          task={dialog.task}
          facts={factsOf(dialog.task)}
          onDone={done}
          onRefused={refused}
          onCancel={() => setDialog(null)}
          returnFocus={() => setFocusRequest((n) => n + 1)}
        />
      ) : null}
    </section>
  );
}

function ListHeader({
  shown,
  total,
  checked,
  setChecked,
}: {
  shown: readonly Task[];
  total: number;
  checked: ReadonlySet<string>;
  setChecked: (s: ReadonlySet<string>) => void;
}) {
  const allChecked = shown.length > 0 && shown.every((t) => checked.has(t.id));
  return (
    <div className="inbox-list-head">
      <label className="inbox-check-all">
        <input
          type="checkbox"
          checked={allChecked}
          onChange={(e) => setChecked(e.target.checked ? new Set(shown.map((t) => t.id)) : new Set())}
        />{' '}
        Select all {shown.length} shown
      </label>
      <span className="inbox-count">
        {shown.length === total
          ? `${total} ${total === 1 ? 'task' : 'tasks'}`
          : `${shown.length} of ${total} tasks`}
      </span>
    </div>
  );
}

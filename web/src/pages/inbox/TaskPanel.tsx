// One task in the side panel (beside the list on a desktop, the whole screen on a phone): what
// it is and when it is due, the actions this task offers, the request's input, why it is the
// signed-in person's, the request's history and the conversation. Everything is read live, so a
// decision taken elsewhere shows here as a closed task within seconds. A refused action shows the
// API's code and sentence here, with a line on what the code means.
import { useEffect, useRef } from 'react';
import { api, type ApiFailure, unwrap } from '../../api-client/client.js';
import { Link } from '../../app/router.js';
import { useLive } from '../../app/live.js';
import { useSignedIn } from '../../app/session.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { type ActionKind, actionSpec, actionsFor } from './actions.js';
import { describeDue } from './due-text.js';
import { KIND_LABEL, type Task } from './inbox-data.js';
import type { RefusalCode } from '../../../../engine/machine/refusals.js';
import type { StepFacts } from './policy-facts.js';
import { History, RequestInput, WhyYours } from './TaskDetails.js';
import { TaskComments } from './TaskComments.js';

/** What the refusal codes (engine/machine/REFUSALS.md) mean for the person refused. */
const CODE_HELP: Partial<Record<RefusalCode, string>> = {
  excluded:
    'Segregation of duties: the policy excludes you, or the person you stand in for, from deciding this step (for example, nobody decides their own request).',
  'distinct-from': 'Segregation of duties: whoever decided an earlier step may not decide this one.',
  'not-an-approver': 'You are not (or no longer) one of the approvers of this step.',
  'not-an-attester': 'You are not (or no longer) one of the people who attest this step.',
  'not-a-waiver-approver': 'You are not (or no longer) one of the people who may waive this check.',
  'delegation-not-allowed': 'This step does not allow decisions by a stand-in.',
  'already-decided': 'A decision on this step has already been recorded for you.',
  'task-closed': 'The task closed before your action arrived.',
  'step-not-open': 'The step is no longer waiting for decisions.',
  'step-blocked':
    'The step cannot take decisions as it stands (for example, too few eligible approvers); the PMO has been told, and an escalation or its deadline settles it.',
  ended: 'The request has ended.',
  'not-your-task': 'Only an assignee can delegate a task; a stand-in cannot pass it on.',
};

const helpFor = (code: string): string | undefined => CODE_HELP[code as RefusalCode];

export interface Refusal {
  kind: ActionKind;
  failure: ApiFailure;
}

interface TaskPanelProps {
  taskId: string;
  /** The list's copy of the task, shown until the panel's own read arrives. */
  listed: Task | undefined;
  factsOf: (task: Task) => StepFacts | null;
  now: number;
  refusal: Refusal | null;
  /** Changes when the panel should take the focus (opened by the person, not by j/k). */
  focusKey: number;
  onAction: (kind: ActionKind, task: Task) => void;
  onClose: () => void;
  /** Hears the task as the panel read it (a deep link to a task the list does not have yet). */
  onTask: (task: Task) => void;
}

export function TaskPanel({
  taskId,
  listed,
  factsOf,
  now,
  refusal,
  focusKey,
  onAction,
  onClose,
  onTask,
}: TaskPanelProps) {
  const { person } = useSignedIn();
  const heading = useRef<HTMLHeadingElement>(null);
  const read = useLive(`task:${taskId}`, () =>
    unwrap(api.GET('/v1/tasks/{id}', { params: { path: { id: taskId } } })),
  );
  const task = read.data ?? listed ?? null;
  const instance = useLive(task ? `instance:${task.instanceId}` : null, () =>
    unwrap(api.GET('/v1/instances/{id}', { params: { path: { id: task?.instanceId ?? '' } } })),
  );

  useEffect(() => {
    if (read.data) onTask(read.data);
  }, [read.data, onTask]);

  const shown = task !== null;
  useEffect(() => {
    if (focusKey > 0) heading.current?.focus();
  }, [focusKey, shown]);

  const close = (
    <div className="inbox-panel-bar">
      <button type="button" className="button button-quiet" onClick={onClose}>
        <span aria-hidden="true">←</span> Back to the list <kbd>Esc</kbd>
      </button>
    </div>
  );

  if (!task) {
    return (
      <section className="inbox-panel" aria-label="Task">
        {close}
        {read.error ? (
          <ErrorNotice
            failure={read.error}
            title="Could not open this task"
            onRetry={() => void read.reload()}
          />
        ) : (
          <Loading what="the task" />
        )}
      </section>
    );
  }

  const facts = factsOf(task);
  const due = describeDue(task.dueAt, now, facts?.calendar ?? null, { full: true });
  const open = task.status === 'open';
  const offered = actionsFor(task).filter(
    (k) => k !== 'requestChanges' || facts === null || facts.allowChanges,
  );
  const mayAct = task.assignees.includes(person) || task.onBehalfOf !== null;
  return (
    <section className="inbox-panel" aria-labelledby="panel-title">
      {close}
      <header className="panel-head">
        <p className="panel-kicker">
          <span className="badge badge-open">{KIND_LABEL[task.kind]}</span> {task.policy.name} v
          {task.policy.version}
          {task.project ? ` · ${task.project}` : ''}
        </p>
        <h2 id="panel-title" ref={heading} tabIndex={-1}>
          {task.title}
        </h2>
        {task.onBehalfOf ? <p className="inbox-behalf">on behalf of {task.onBehalfOf}</p> : null}
        <p className={`panel-due due-${due.state}`}>
          {due.state === 'overdue' ? (
            <span className="badge badge-overdue">
              <span aria-hidden="true">⚠ </span>Overdue
            </span>
          ) : null}{' '}
          {due.text}
          {due.full ? <span className="panel-note"> ({due.full})</span> : null}
        </p>
        <p className="panel-note">
          <Link to={`/instances/${encodeURIComponent(task.instanceId)}`}>
            Open the request {task.instanceId}
          </Link>
        </p>
      </header>

      {read.error && read.data ? (
        <ErrorNotice failure={read.error} title="Could not refresh this task" />
      ) : null}
      {!open ? (
        <p className="notice notice-ok" role="status">
          This task is closed{task.closeReason ? `: ${task.closeReason}` : ''}. Nothing is left for you to do
          here.
        </p>
      ) : null}
      {refusal ? <RefusalNotice refusal={refusal} /> : null}

      {open && mayAct ? (
        <div className="actions panel-actions" role="group" aria-label="Actions">
          {offered.map((kind) => {
            const spec = actionSpec(kind, facts?.evidenceRequired ?? false);
            const primary = kind === 'approve' || kind === 'waive' || kind === 'attest';
            return (
              <button
                key={kind}
                type="button"
                className={`button ${primary ? 'button-primary' : ''} ${kind === 'delegate' ? 'button-quiet' : ''}`}
                onClick={() => onAction(kind, task)}
                aria-keyshortcuts={kind === 'approve' ? 'a' : kind === 'reject' ? 'r' : undefined}
              >
                {spec.verb}
                {kind === 'approve' ? (
                  <kbd aria-hidden="true">a</kbd>
                ) : kind === 'reject' ? (
                  <kbd aria-hidden="true">r</kbd>
                ) : null}
              </button>
            );
          })}
        </div>
      ) : null}

      {instance.data ? <RequestInput instance={instance.data} /> : null}
      <WhyYours task={task} instance={instance.data} me={person} />
      {instance.data ? <History instance={instance.data} /> : null}
      {instance.loading ? <Loading what="the request" /> : null}
      {instance.error && !instance.data ? (
        <ErrorNotice
          failure={instance.error}
          title="Could not load the request"
          onRetry={() => void instance.reload()}
        />
      ) : null}
      <TaskComments taskId={task.id} canWrite={mayAct} />
    </section>
  );
}

function RefusalNotice({ refusal }: { refusal: Refusal }) {
  const { failure, kind } = refusal;
  const verb = actionSpec(kind, false).verb.toLowerCase();
  return (
    <div className="notice notice-error inbox-refusal" role="alert">
      <p className="notice-title">
        {/* A 4xx is a refusal of this person or request; anything else is the server or the network. */}
        {failure.status >= 400 && failure.status < 500
          ? `Charter refused to ${verb}`
          : `Could not ${verb}`}: <code className="code-tag">{failure.code}</code>
      </p>
      <p>{failure.message}</p>
      {helpFor(failure.code) ? <p>{helpFor(failure.code)}</p> : null}
      {failure.problems.length > 0 ? (
        <ul className="problems">
          {failure.problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

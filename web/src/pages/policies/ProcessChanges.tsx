// One process in the comparison of two versions: whether it is new, gone or changed; its input
// fields added, removed or retyped; then its steps, each under its own heading: a step only the
// newer version has ("Added"), one it dropped ("Removed"), and for steps in both every aspect that
// reads differently (quorum, deadline, escalation, condition, ...) with its words before and after.
// Added and removed are said in words and marked + and −, never by colour alone.
import { useId } from 'react';
import { byStep, type ProcessDiff as Process, type StepChange as Change } from './comparison.js';

type StepRef = Process['addedSteps'][number];

/** The aspect of a step as a PMO reader names it. */
const ASPECT_WORDS: Record<string, string> = {
  kind: 'Kind of step',
  placement: 'Place in the process',
  approvers: 'Approvers',
  quorum: 'Quorum',
  veto: 'Rejection',
  exclude: 'Excluded',
  distinctFrom: 'Must differ from the approvers of',
  deadline: 'Deadline',
  reminder: 'Reminder',
  escalation: 'Escalation',
  timeout: 'On timeout',
  delegation: 'Delegation allowed',
  changes: 'Changes allowed',
  qualifications: 'Qualifications required',
  condition: 'Condition',
  check: 'Check',
  onFail: 'On failure',
  recipients: 'Recipients',
  message: 'Message',
  wait: 'Wait',
  reallocation: 'Reallocation',
  branches: 'Branches',
  outcome: 'Outcome',
};

const INPUT_WORDS: Record<Process['inputs'][number]['change'], string> = {
  added: 'added',
  removed: 'removed',
  retyped: 'type changed',
  optional: 'optional changed',
  default: 'default changed',
};

const STATUS_WORDS: Record<Process['status'], string> = {
  added: 'New process',
  removed: 'Process removed',
  changed: 'Changed',
  same: 'Unchanged',
};

function BeforeAfter({ before, after }: { before: string | null; after: string | null }) {
  return (
    <>
      {before !== null ? (
        <span className="diff-before">
          <span className="diff-label">Before:</span> <code>{before}</code>
        </span>
      ) : null}
      {after !== null ? (
        <span className="diff-after">
          <span className="diff-label">After:</span> <code>{after}</code>
        </span>
      ) : null}
    </>
  );
}

function AddedOrRemoved({ step, added }: { step: StepRef; added: boolean }) {
  return (
    <li className={added ? 'diff-step diff-step-added' : 'diff-step diff-step-removed'}>
      <h4 className="diff-step-title">
        <span aria-hidden="true" className="diff-sign">
          {added ? '+' : '−'}
        </span>{' '}
        <code>{step.step}</code> <span className="diff-step-kind">{step.kind}</span>{' '}
        <span className={added ? 'badge badge-approved' : 'badge badge-rejected'}>
          {added ? 'Added' : 'Removed'}
        </span>
      </h4>
      <p className="diff-step-summary">
        <code>{step.summary}</code>
      </p>
    </li>
  );
}

function ChangedStep({ step, changes }: { step: string; changes: readonly Change[] }) {
  return (
    <li className="diff-step">
      <h4 className="diff-step-title">
        <code>{step}</code> <span className="badge badge-current">Changed</span>
      </h4>
      <ul className="diff-changes">
        {changes.map((c) => (
          <li key={c.kind}>
            <span className="diff-what">{ASPECT_WORDS[c.kind] ?? c.kind}</span>
            <BeforeAfter before={c.before} after={c.after} />
          </li>
        ))}
      </ul>
    </li>
  );
}

export function ProcessChanges({ process }: { process: Process }) {
  const id = useId();
  const steps = byStep(process.changes);
  const stepCount = process.addedSteps.length + process.removedSteps.length + steps.length;
  return (
    <section className="card diff-process" aria-labelledby={id}>
      <h3 id={id}>
        Process <code>{process.name}</code>: {STATUS_WORDS[process.status]}
      </h3>
      {process.inputs.length > 0 ? (
        <>
          <p className="diff-subtitle">Input fields</p>
          <ul className="diff-changes">
            {process.inputs.map((input) => (
              <li key={`${input.field}:${input.change}`}>
                <span className="diff-what">
                  <code>{input.field}</code> {INPUT_WORDS[input.change]}
                </span>
                <BeforeAfter before={input.before} after={input.after} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {stepCount > 0 ? (
        <>
          <p className="diff-subtitle">Steps</p>
          <ul className="diff-steps">
            {steps.map(([step, changes]) => (
              <ChangedStep key={`changed:${step}`} step={step} changes={changes} />
            ))}
            {process.addedSteps.map((step) => (
              <AddedOrRemoved key={`added:${step.step}`} step={step} added />
            ))}
            {process.removedSteps.map((step) => (
              <AddedOrRemoved key={`removed:${step.step}`} step={step} added={false} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

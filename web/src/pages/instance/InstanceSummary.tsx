// Where an instance stands, in the words and dates a requester asks about: its status, the policy
// version it runs under (pinned at the start, with the hash an auditor compares), who started it
// and when, and, while it runs, the steps it is at with what each waits for and by when. Auditors,
// the PMO and admins also get the instance's evidence bundle (GET /v1/audit/evidence/{id}) here.
import { hasRole, useSignedIn } from '../../app/session.js';
import { formatInstant, fromNow, humanise, STATE_MARK } from './format.js';
import type { BlockedOn, InstanceDetail } from './reads.js';

const shortSha = (sha: string): string => sha.slice(0, 12);

export function InstanceFacts({ detail }: { detail: InstanceDetail }) {
  const { policy } = detail;
  const audits = hasRole(useSignedIn(), 'auditor', 'pmo', 'admin');
  return (
    <dl className="facts">
      <div>
        <dt>Policy</dt>
        <dd>
          {policy.name}, version {policy.version}{' '}
          <code className="sha" title={`sha256 ${policy.sha256}`}>
            <span className="visually-hidden">sha256 </span>
            {shortSha(policy.sha256)}
          </code>
        </dd>
      </div>
      <div>
        <dt>Process</dt>
        <dd>{detail.process}</dd>
      </div>
      <div>
        <dt>Project</dt>
        <dd>{detail.project ?? 'none named'}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>
          by {detail.startedBy}, <time dateTime={detail.startedAt}>{formatInstant(detail.startedAt)}</time>
        </dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd>
          {detail.endedAt === null ? (
            'not yet: it is running'
          ) : (
            <time dateTime={detail.endedAt}>{formatInstant(detail.endedAt)}</time>
          )}
        </dd>
      </div>
      {audits ? (
        <div>
          <dt>Evidence</dt>
          <dd>
            <a
              className="button"
              href={`/v1/audit/evidence/${encodeURIComponent(detail.instanceId)}`}
              download
            >
              Download evidence bundle
            </a>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** The current steps, each with what it is blocked on; or how the instance ended. */
export function WhereItStands({ detail, now }: { detail: InstanceDetail; now: number }) {
  if (detail.status !== 'running') {
    return (
      <p className="standing-ended">
        {humanise(detail.status)}
        {detail.message ? `: ${detail.message}` : ''}
      </p>
    );
  }
  const steps = [...new Set([...detail.currentSteps, ...detail.blockedOn.map((b) => b.step)])];
  return (
    <>
      {detail.live ? null : (
        <p className="notice notice-warning" role="status">
          The running workflow did not answer just now; this is what was last stored, and may be a few seconds
          old.
        </p>
      )}
      {steps.length === 0 ? (
        <p className="state">Moving on to the next step…</p>
      ) : (
        <ul className="standing">
          {steps.map((step) => (
            <li key={step}>
              <p className="standing-step">
                <span className="step-mark step-mark-current" aria-hidden="true">
                  {STATE_MARK.current}
                </span>{' '}
                <strong>{step}</strong> <span className="step-kind">current step</span>
              </p>
              <BlockedList blocked={detail.blockedOn.filter((b) => b.step === step)} now={now} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function BlockedList({ blocked, now }: { blocked: BlockedOn[]; now: number }) {
  if (blocked.length === 0) return <p className="blocked-none">Working on it; nobody needs to act.</p>;
  return (
    <ul className="blocked">
      {blocked.map((b, i) => (
        <li key={`${b.kind}:${i}`}>
          <p>
            <span className="blocked-label">Blocked on</span> {b.text}
          </p>
          {b.dueAt === null ? null : <Due at={b.dueAt} now={now} />}
        </li>
      ))}
    </ul>
  );
}

function Due({ at, now }: { at: string; now: number }) {
  const overdue = Date.parse(at) < now;
  return (
    <p className="due">
      <span className="due-label">Due</span> <time dateTime={at}>{formatInstant(at)}</time>,{' '}
      {fromNow(at, now)}
      {overdue ? <span className="badge badge-overdue">overdue</span> : null}
    </p>
  );
}

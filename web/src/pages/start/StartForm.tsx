// Step 2 of starting a request: the chosen process's input description (GET .../processes/{p})
// becomes a form; `?from=<instance>` fills it with what that instance was started with (a request
// withdrawn to be changed), and shows what the approver asked for. The API starts a request under
// the version in effect today, so the screen says so when that is not the version chosen.
import type { TypeIR, ValueIR } from '../../../../engine/ir/types.js';
import { api, type ApiFailure, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { Link, useLocation } from '../../app/router.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { changesRequestedOf } from '../requests/changes-requested.js';
import { type FieldDescription, fieldLabel, initialValues } from './form-values.js';
import { policyChoices, utcDay } from './policies-in-effect.js';
import { readPublishedVersions } from './read-policies.js';
import { RequestForm } from './RequestForm.js';

export interface ProcessChoice {
  policy: string;
  version: number;
  process: string;
}

async function readProcess(choice: ProcessChoice): Promise<FieldDescription[]> {
  const described = await unwrap(
    api.GET('/v1/policies/{name}/versions/{version}/processes/{process}', {
      params: { path: { name: choice.policy, version: choice.version, process: choice.process } },
    }),
  );
  // The answer spells nested list types to a fixed depth; they are the engine's TypeIR all the same.
  return described.input.map((f) => ({
    name: f.name,
    type: f.type as TypeIR,
    optional: f.optional,
    default: f.default as ValueIR | null,
  }));
}

const readInstance = (id: string) => unwrap(api.GET('/v1/instances/{id}', { params: { path: { id } } }));

function VersionNotice({ choice, from }: { choice: ProcessChoice; from: string | null }) {
  const read = useLive('published-policies', readPublishedVersions);
  if (read.data === null) return null;
  const policy = policyChoices(read.data, utcDay(new Date())).find((c) => c.name === choice.policy);
  const current = policy?.inEffect ?? null;
  if (current === null) {
    return (
      <p className="notice notice-warning" role="status">
        No version of {choice.policy} is in effect today: Charter will not start this request.
      </p>
    );
  }
  if (current.version === choice.version) return null;
  const query = from === null ? '' : `?from=${encodeURIComponent(from)}`;
  return (
    <div className="notice notice-warning" role="status">
      <p>
        Version {current.version} of {choice.policy} is in effect now, and a request starts under it; this
        form is for version {choice.version}.
      </p>
      {current.processes.includes(choice.process) ? (
        <p>
          <Link
            to={`/start/${encodeURIComponent(choice.policy)}/${current.version}/${encodeURIComponent(choice.process)}${query}`}
          >
            Open the form of version {current.version}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

export function StartForm({ choice }: { choice: ProcessChoice }) {
  const from = useLocation().query.get('from');
  const processKey = `${choice.policy}\n${choice.version}\n${choice.process}`;
  const described = useLive(processKey, () => readProcess(choice), { live: false });
  const earlier = useLive(from === null ? null : `from\n${from}`, () => readInstance(from ?? ''), {
    live: false,
  });

  const heading = (
    <>
      <p className="breadcrumb">
        <Link to="/start">← Choose another process</Link>
      </p>
      <h1 id="start-title">Start a request: {fieldLabel(choice.process)}</h1>
      <p className="lead">
        Process <code>{choice.process}</code> of policy {choice.policy}, version {choice.version}.
      </p>
      <VersionNotice choice={choice} from={from} />
    </>
  );

  if (described.error && described.data === null) {
    return (
      <>
        {heading}
        <ErrorNotice
          failure={described.error}
          title="Could not load this process's form"
          onRetry={() => void described.reload()}
        />
        <p>
          <Link to="/start">Choose a process from the list</Link>
        </p>
      </>
    );
  }
  const waitingForEarlier = from !== null && earlier.loading;
  if (described.data === null || waitingForEarlier) {
    return (
      <>
        {heading}
        <Loading what={described.data === null ? 'the form' : 'your earlier request'} />
      </>
    );
  }
  const fields = described.data;
  const prefill = earlier.data?.input ?? null;
  const asked = earlier.data ? changesRequestedOf(earlier.data.timeline) : [];
  return (
    <>
      {heading}
      {from !== null && earlier.error ? <PrefillProblem failure={earlier.error} from={from} /> : null}
      {from !== null && earlier.data ? (
        <div className="notice notice-ok prefill-notice" role="status">
          <p>
            Filled in from your request <Link to={`/instances/${encodeURIComponent(from)}`}>{from}</Link>
            {earlier.data.status === 'cancelled' ? ' (withdrawn)' : ''}. Change what was asked for, then start
            it again.
          </p>
          {asked.map((a) => (
            <p key={`${a.step}:${a.by}`}>
              <strong>{a.by}</strong> asked for changes at step <code>{a.step}</code>
              {a.reason ? <>: “{a.reason}”</> : '.'}
            </p>
          ))}
        </div>
      ) : null}
      <RequestForm
        key={`${processKey}\n${from ?? ''}`}
        policy={choice.policy}
        process={choice.process}
        fields={fields}
        initial={initialValues(fields, prefill)}
      />
    </>
  );
}

function PrefillProblem({ failure, from }: { failure: ApiFailure; from: string }) {
  return (
    <div className="notice notice-warning" role="status">
      <p>
        Could not fill the form from request <code>{from}</code>: {failure.message}{' '}
        <code className="code-tag">{failure.code}</code>. The form shows the defaults.
      </p>
    </div>
  );
}

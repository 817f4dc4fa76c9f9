// The "Try it" tab: a scenario built in a form, not in JSON. Who starts which process when, with
// what input (the same generated fields as the start form), in which world (the people of each
// group the policy names), then what happens in order; "Run" checks it with the simulator's own
// schema, every problem next to its field, and plays it in the page, showing the timeline. It
// needs a draft that checks clean: the simulator runs compiled policies only.
import type { FormEvent } from 'react';
import type { CompiledPolicy } from '../../../../../engine/ir/types.js';
import { FormField } from '../../start/FormField.js';
import { type FormPath, pathKey } from '../../start/form-values.js';
import { ActsEditor } from './ActsEditor.js';
import { usesManagers } from './scenario-build.js';
import { ScenarioField } from './ScenarioField.js';
import { ScenarioTimeline } from './ScenarioTimeline.js';
import { useScenario } from './use-scenario.js';
import type { TriedRun } from '../preview.js';

interface TestsText {
  text: string;
  edit: (text: string) => void;
  fileName: string;
}

interface ScenarioPanelProps {
  /** The draft compiled, or null while it does not check clean. */
  policy: CompiledPolicy | null;
  /** Why nothing can run now ("Checking…", "Fix the errors first"), or null. */
  blocked: string | null;
  startedBy: string;
  tests: TestsText;
  /** A run played: what it reached, for the preview to mark. */
  onRan: (run: TriedRun) => void;
}

export function ScenarioPanel({ policy, blocked, startedBy, tests, onRan }: ScenarioPanelProps) {
  if (blocked !== null || policy === null) {
    return <p className="state state-empty scenario-blocked">{blocked ?? 'Checking…'}</p>;
  }
  if (policy.ir.processes.length === 0) {
    return <p className="state state-empty">The policy declares no process to try.</p>;
  }
  return <ScenarioBuilder policy={policy} startedBy={startedBy} tests={tests} onRan={onRan} />;
}

function ScenarioBuilder({
  policy,
  startedBy,
  tests,
  onRan,
}: Omit<ScenarioPanelProps, 'blocked'> & { policy: CompiledPolicy }) {
  const s = useScenario(policy, startedBy, tests, onRan);
  const { form } = s;
  const process = policy.ir.processes.find((p) => p.name === form.process) ?? policy.ir.processes[0];
  const at = (key: string): string[] => s.problems.filter((p) => p.key === key).map((p) => p.message);
  const inputAt = (path: FormPath): string[] => at(`input.${pathKey(path)}`);
  const general = s.problems.filter((p) => p.key === '');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    s.run();
  };

  if (!process) return null;
  return (
    <div className="scenario">
      <form className="scenario-form" onSubmit={submit} noValidate aria-label="Scenario">
        <p className="field-help">
          Build a request as people would make it, say what happens after, and run it on the simulator in this
          page. Nothing is sent anywhere.
        </p>
        <div className="scenario-grid">
          <ScenarioField
            label="Process"
            kind="choice"
            value={form.process}
            choices={policy.ir.processes.map((p) => ({ value: p.name, label: p.name }))}
            onChange={s.choose}
            problems={at('process')}
          />
          <ScenarioField
            label="Scenario name"
            value={form.name}
            onChange={(name) => s.change({ name })}
            problems={at('name')}
          />
          <ScenarioField
            label="Started by"
            value={form.startedBy}
            onChange={(v) => s.change({ startedBy: v })}
            problems={at('startedBy')}
          />
          <ScenarioField
            label="Starts at"
            kind="datetime"
            value={form.start}
            onChange={(v) => s.change({ start: v })}
            problems={at('start')}
          />
        </div>
        <fieldset className="field scenario-section">
          <legend>Input</legend>
          {process.input.length === 0 ? <p className="field-help">This process takes no input.</p> : null}
          {process.input.map((field) => (
            <FormField
              key={field.name}
              field={field}
              value={form.values[field.name] ?? ''}
              onChange={(value) => s.change({ values: { ...form.values, [field.name]: value } })}
              onLeave={() => undefined}
              problemsAt={inputAt}
            />
          ))}
        </fieldset>
        <fieldset className="field scenario-section">
          <legend>World</legend>
          <p className="field-help">
            Who is in each group the policy names: e-mail addresses, separated by commas or lines.
          </p>
          {Object.keys(form.groups).length === 0 ? (
            <p className="field-help">The policy names no group.</p>
          ) : null}
          {Object.entries(form.groups).map(([group, text]) => (
            <ScenarioField
              key={group}
              label={
                <>
                  Group <code>{group}</code>
                </>
              }
              kind="lines"
              value={text}
              onChange={(v) => s.change({ groups: { ...form.groups, [group]: v } })}
              problems={at(`groups.${group}`)}
            />
          ))}
          {usesManagers(policy) || form.managers.trim() !== '' ? (
            <ScenarioField
              label="Managers"
              kind="lines"
              help='One a line: "person: their manager".'
              value={form.managers}
              onChange={(v) => s.change({ managers: v })}
              problems={at('managers')}
            />
          ) : null}
        </fieldset>
        <ActsEditor
          acts={form.acts}
          process={process}
          onChange={(acts) => s.change({ acts })}
          problemsAt={at}
        />
        {s.problems.length > 0 ? (
          <div className="notice notice-error" role="alert">
            <p>
              The scenario cannot run:{' '}
              {s.problems.length === 1 ? 'one problem' : `${s.problems.length} problems`}, each shown next to
              its field.
            </p>
            {general.length > 0 ? (
              <ul>
                {general.map((p) => (
                  <li key={p.message}>{p.message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" className="button button-primary">
            Run
          </button>
        </div>
      </form>
      {s.last?.kind === 'error' ? (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">The simulator could not play the scenario</p>
          <p>{s.last.message}</p>
        </div>
      ) : null}
      {s.last?.kind === 'ran' ? (
        <ScenarioTimeline run={s.last} outdated={s.outdated} onAddToTests={s.addToTests} added={s.added} />
      ) : null}
    </div>
  );
}

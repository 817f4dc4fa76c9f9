// The scenario builder's state: the form (kept in sessionStorage beside the draft, so a reload or
// a trip to another tab keeps it), whether a run was tried (problems show from then on, live),
// the last run, and what "Add to tests" said. The form follows the policy as it is edited: a
// process that no longer exists gives way to the first one, and the groups are the policy's.
import { useEffect, useMemo, useState } from 'react';
import type { CompiledPolicy } from '../../../../../engine/ir/types.js';
import {
  buildScenario,
  newForm,
  policyGroups,
  type ScenarioForm,
  type ScenarioProblem,
  startControlValue,
} from './scenario-build.js';
import { playScenario, type ScenarioRun } from './scenario-run.js';
import { appendToTests, testDefaults } from './tests-file.js';
import type { TriedRun } from '../preview.js';
import { localTime } from '../../../../../engine/text/simulation-text.js';

const STORAGE_KEY = 'charter.studio.scenario';

function storedForm(): ScenarioForm | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    const value = (raw === null ? null : JSON.parse(raw)) as ScenarioForm | null;
    return value && typeof value.process === 'string' && Array.isArray(value.acts) ? value : null;
  } catch {
    return null;
  }
}

function storeForm(form: ScenarioForm): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(form));
  } catch {
    // Storage refused: the form still lives in the page.
  }
}

export interface ScenarioState {
  form: ScenarioForm;
  change: (change: Partial<ScenarioForm>) => void;
  /** Another process: its own input and acts; who, when and the world stay. */
  choose: (process: string) => void;
  problems: ScenarioProblem[];
  run: () => void;
  last: ScenarioRun | null;
  outdated: boolean;
  addToTests: () => void;
  added: { kind: 'ok' | 'error'; text: string } | null;
}

export function useScenario(
  policy: CompiledPolicy,
  startedBy: string,
  tests: { text: string; edit: (text: string) => void; fileName: string },
  onRan: (run: TriedRun) => void,
): ScenarioState {
  const defaults = useMemo(() => testDefaults(tests.text, policy), [tests.text, policy]);
  const fresh = (process?: string): ScenarioForm =>
    newForm(
      policy,
      process,
      startedBy,
      defaults,
      startControlValue(localTime(Date.now(), defaults.timezone).slice(4)),
    );
  const [stored, setStored] = useState<ScenarioForm | null>(storedForm);
  const [attempted, setAttempted] = useState(false);
  const [last, setLast] = useState<{ run: ScenarioRun; form: string; policy: string } | null>(null);
  const [added, setAdded] = useState<ScenarioState['added']>(null);

  const form = useMemo((): ScenarioForm => {
    const base =
      stored && policy.ir.processes.some((p) => p.name === stored.process) ? stored : fresh(stored?.process);
    const groups: Record<string, string> = {};
    for (const g of policyGroups(policy))
      groups[g] = base.groups[g] ?? (defaults.world.groups[g] ?? []).join(', ');
    return { ...base, groups };
  }, [stored, policy, defaults]);

  useEffect(() => {
    if (stored !== null) storeForm(stored);
  }, [stored]);

  const built = useMemo(() => buildScenario(policy, form, defaults), [policy, form, defaults]);

  const change = (part: Partial<ScenarioForm>): void => {
    setStored({ ...form, ...part });
    setAdded(null);
  };

  const choose = (process: string): void => {
    const next = fresh(process);
    setStored({
      ...next,
      startedBy: form.startedBy,
      start: form.start,
      groups: form.groups,
      managers: form.managers,
    });
    setAdded(null);
  };

  const run = (): void => {
    setAttempted(true);
    setAdded(null);
    // Pinned from now on: a form still on its defaults would otherwise take a new "now" later.
    setStored(form);
    if (!built.ok) return;
    const played = playScenario(policy, built.scenario, defaults);
    setLast({ run: played, form: JSON.stringify(form), policy: policy.sha256 });
    if (played.kind === 'ran') {
      onRan({
        name: built.scenario.name,
        process: built.scenario.process,
        reached: played.reached,
        policy: policy.sha256,
      });
    }
  };

  const addToTests = (): void => {
    if (last?.run.kind !== 'ran') return;
    const appended = appendToTests(tests.text, last.run.scenario, last.run.status, defaults.timezone);
    if ('problem' in appended) {
      setAdded({ kind: 'error', text: appended.problem });
      return;
    }
    tests.edit(appended.text);
    setAdded({
      kind: 'ok',
      text: `Added to ${tests.fileName}, expecting ${last.run.status}. Run it in the Tests tab.`,
    });
  };

  return {
    form,
    change,
    choose,
    problems: attempted && !built.ok ? built.problems : [],
    run,
    last: last?.run ?? null,
    outdated: last !== null && (last.form !== JSON.stringify(form) || last.policy !== policy.sha256),
    addToTests,
    added,
  };
}

// A built scenario played in the page on the simulator (engine/simulate), as `charter simulate`
// plays one: started in the world of the test file under the scenario's own, its acts played in
// order on the virtual clock, with the steps and branches it reached (for the preview's marks).
// A script the simulator cannot play (time going back, a check nobody is waiting for) ends the
// run with the simulator's words instead of taking the page down. Pure.
import type { CompiledPolicy } from '../../../../../engine/ir/types.js';
import {
  coveredBy,
  playScript,
  type Scenario,
  SimulationError,
  startScenario,
} from '../../../../../engine/simulate/index.js';
import { type SimulationText, simulationText } from '../../../../../engine/text/simulation-text.js';
import type { FinalStatus, TestDefaults } from './tests-file.js';

export type ScenarioRun =
  | {
      kind: 'ran';
      scenario: Scenario;
      status: FinalStatus;
      /** What the instance went through and where it stands, times in `timezone`. */
      text: SimulationText;
      timezone: string;
      /** Acts the policy refused, in the simulator's words. */
      refusals: string[];
      /** The steps and branches the run went through, as coverage keys (`process/step: branch`). */
      reached: ReadonlySet<string>;
    }
  | { kind: 'error'; message: string };

export function playScenario(
  policy: CompiledPolicy,
  scenario: Scenario,
  defaults: TestDefaults,
): ScenarioRun {
  try {
    const sim = startScenario(policy, scenario, defaults);
    if (typeof sim === 'string') return { kind: 'error', message: sim };
    const refusals: string[] = [];
    playScript(sim, scenario.script, defaults.timezone, refusals);
    return {
      kind: 'ran',
      scenario,
      status: sim.state.status,
      text: simulationText(sim, defaults.timezone),
      timezone: defaults.timezone,
      refusals,
      reached: coveredBy(sim),
    };
  } catch (error) {
    if (error instanceof SimulationError) return { kind: 'error', message: error.message };
    // Any other fault of the simulator is shown the same way: the author's form stays usable.
    return { kind: 'error', message: `the simulator stopped: ${(error as Error).message}` };
  }
}

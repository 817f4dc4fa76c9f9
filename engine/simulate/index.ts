// The simulator's public face: an instance on a virtual clock in a scripted world, the scenario
// format shared by `charter simulate`, policy tests and the API, and coverage of a policy by tests.
export { Simulation, SimulationError, TIMER_LIMIT } from './simulation.js';
export type { Notification, OpenTask, StartOptions, TimelineEntry } from './simulation.js';
export { EMPTY_WORLD } from './world.js';
export type { CheckAnswer, World } from './world.js';
export type { WorldQualification, WorldQualifications } from './qualifications.js';
export { coveragePoints, coveredBy } from './coverage.js';
export type { CoveragePoint, PolicyPoints } from './coverage.js';
export { unmet } from './expect.js';
export { mergeWorld, playScript, runScenario, runTestFile, startScenario } from './policy-test.js';
export type { ScenarioDefaults, ScenarioResult } from './policy-test.js';
export {
  expectationSchema,
  parseTime,
  scenarioSchema,
  scriptEntrySchema,
  testFileSchema,
  worldSchema,
} from './script.js';
export type { Expectation, Scenario, ScriptEntry, TestFile, WorldInput } from './script.js';
export { monitorFailures, monitorTestSchema, runMonitorTest } from './monitor-test.js';
export type { MonitorTest, MonitorTestResult } from './monitor-test.js';
export { simulateMonitor } from './monitor-simulation.js';
export type { MonitorRun, MonitorSimulation, MonitorWorld, SimulatedFinding } from './monitor-simulation.js';
export { actsOf, impactOf, labelOf } from './impact.js';
export type {
  Fired,
  ImpactDifference,
  ImpactReport,
  ImpactSummary,
  ImpactVerdict,
  InstanceImpact,
  PastInstance,
  RecordedAct,
  ReplayStatus,
  SkippedAct,
  Wait,
} from './impact.js';

// Protocol monitors: judging projects against a monitor and the clock of the findings it opens.
export {
  compileMonitor,
  factsFor,
  type CompiledMonitor,
  type ProcessHistory,
  type ProjectFacts,
  type ProjectHistory,
  UnknownMonitorError,
  type Verdict,
} from './evaluate.js';
export {
  findingAlarms,
  findingDueAt,
  findingZone,
  MAX_REMINDERS,
  type FindingAlarm,
} from './finding-clock.js';

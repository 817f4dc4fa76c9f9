// The activities of protocol monitors, as types only: the run and finding workflows import this
// file by type, the worker binds the implementations (activities.ts).
import type { FindingAlarm } from '../../engine/monitor/index.js';
import type { FindingPlan } from './finding-activities.js';
import type { MonitorRunInput, MonitorRunResult } from './run.js';

export interface MonitorActivities {
  /** Judges every project for one scheduled run; opens and closes findings; idempotent per run. */
  runMonitor(input: MonitorRunInput): Promise<MonitorRunResult>;
  /** Starts the workflows of opened findings and tells those of closed ones to stop. */
  followUpRun(input: { opened: string[]; closed: string[] }): Promise<void>;
  findingPlan(input: { findingId: string }): Promise<FindingPlan>;
  findingAlarm(input: { findingId: string; alarm: FindingAlarm }): Promise<'done' | 'skipped'>;
  /** Makes the Temporal Schedules match the monitors of the versions in force. */
  reconcileSchedules(input: {
    at: number;
  }): Promise<{ created: string[]; updated: string[]; deleted: string[] }>;
}

// The workflow bundle's entry: Temporal registers every exported function as a workflow type.
export { charterInstance } from './instance.js';
export { charterMonitorRun } from './monitor-run.js';
export { charterFinding } from './finding.js';
export { charterReconcileMonitors } from './reconcile.js';
export { charterQualificationReminders } from './qualification-reminders.js';
export { charterLedgerSigner } from './ledger-signer.js';

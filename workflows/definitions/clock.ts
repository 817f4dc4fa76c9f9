// Workflow time. Inside a Temporal workflow `Date.now()` is the time of the current workflow task,
// recorded in history and replayed, so it is deterministic; the lint rule that keeps clocks out of
// the pure engine is lifted here alone, where that guarantee holds.
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties -- replayed workflow time, see above
  return Date.now();
}

// Notices: what Charter tells people (types), who is told after a transition (plan), the words of
// a message (compose) and when it may go out (schedule). Pure, like the rest of the engine: the
// outbox and the channels live outside it.
export * from './types.js';
export * from './plan.js';
export * from './compose.js';
export * from './schedule.js';

// Notices: what Charter tells people (types), who is told after a transition (plan), the words of
// a message (compose), who is told what about a monitor's finding (findings), the reminder that a
// qualification expires (qualifications) and when a message may go out (schedule). Pure, like the
// rest of the engine: the outbox and the channels live outside it.
export * from './types.js';
export * from './plan.js';
export * from './compose.js';
export * from './findings.js';
export * from './qualifications.js';
export * from './schedule.js';

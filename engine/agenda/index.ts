// The agenda's public face: what an instance's driver does next and when (waiting inputs in their
// order, pending timers, external checks and their time budgets), shared by the Temporal workflow
// and the simulator so that both feed the machine the same events in the same order.
export { Agenda } from './agenda.js';
export type { AgendaView, Due, Input, PendingTimer, Source } from './agenda.js';
export { AgendaError } from './check-attempts.js';
export type { AfterTimeout, AttemptPhase, CheckAttempt, RunCheck } from './check-attempts.js';

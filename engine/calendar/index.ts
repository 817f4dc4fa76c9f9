// The business-calendar module's public face: compile a CalendarIR once, then ask about working
// time, add durations and format instants. Instants are epoch milliseconds (UTC) throughout.
// Everything here is pure and deterministic given the host's time-zone data (Intl), so it runs
// unchanged in the Temporal workflow sandbox and in the simulator.
export {
  compileCalendar,
  isWorkingTime,
  nextWorkingInstant,
  NoWorkingTimeError,
  SEARCH_LIMIT_DAYS,
} from './calendar.js';
export type { BusinessCalendar, MinuteInterval } from './calendar.js';
export { addBusinessTime, addDuration, workingTimeBetween, UnknownCalendarError } from './business-time.js';
export type { BusinessUnit } from './business-time.js';
export { formatInstant, localDate, instantOf } from './format.js';

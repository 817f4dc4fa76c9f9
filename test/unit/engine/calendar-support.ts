// Test helper: business calendars written the way the DSL writes hours.
import { compileCalendar } from '../../../engine/calendar/index.js';
import type { BusinessCalendar } from '../../../engine/calendar/index.js';
import type { CalendarIR, DayName } from '../../../engine/ir/index.js';

const DAYS: DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Builds a calendar from `mon-fri 09:00-12:00 13:00-17:00` lines, as the DSL writes hours. */
export function calendar(timezone: string, lines: string[], holidays: string[] = []): BusinessCalendar {
  const hours: CalendarIR['hours'] = [];
  for (const line of lines) {
    const [days = '', ...spans] = line.split(' ');
    const [first = '', last = first] = days.split('-');
    for (const day of DAYS.slice(DAYS.indexOf(first as DayName), DAYS.indexOf(last as DayName) + 1)) {
      for (const span of spans) {
        const [from = '', to = ''] = span.split('-');
        hours.push({ day, from, to });
      }
    }
  }
  hours.sort((a, b) => DAYS.indexOf(a.day) - DAYS.indexOf(b.day) || a.from.localeCompare(b.from));
  const span = { file: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
  return compileCalendar({ name: 'test', timezone, hours, holidays, span });
}

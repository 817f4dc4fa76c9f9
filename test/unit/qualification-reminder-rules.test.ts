// The rules of the daily qualification reminders that need no server: which expiry days a run
// covers for each lead time (the run's day plus the lead time, and one day back to make up a
// missed run, except where that would repeat another lead time or reach the expiry day itself),
// and CHARTER_QUALIFICATION_REMINDER_DAYS as the worker reads it: the default, a list in any order
// with spaces, and each bad value refused at start with the variable and the entry named.
import { ConfigError, workerConfig } from '../../workflows/config.js';
import { DEFAULT_REMINDER_DAYS } from '../../workflows/qualifications/config.js';
import { reminderWindows } from '../../workflows/qualifications/reminders.js';
import { qualificationRemindersScheduleOptions } from '../../workflows/qualifications/schedule.js';

const VARIABLE = 'CHARTER_QUALIFICATION_REMINDER_DAYS';

/** The worker's configuration problem for one value of the variable. */
function problem(value: string): string {
  try {
    workerConfig({ [VARIABLE]: value });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`${VARIABLE}=${value} was accepted`);
}

describe('which expiry days a run reminds of', () => {
  test('when the run is on 1 Sep 2027 with 30 and 7 days, then it covers 30 Sep-1 Oct and 7-8 Sep', () => {
    expect(reminderWindows('2027-09-01', [30, 7])).toEqual([
      { leadDays: 30, from: '2027-09-30', to: '2027-10-01' },
      { leadDays: 7, from: '2027-09-07', to: '2027-09-08' },
    ]);
  });

  test('when runs follow day by day, then each expiry day falls in exactly two runs of a lead time: its own and the next', () => {
    const days = ['2027-02-26', '2027-02-27', '2027-02-28', '2027-03-01', '2027-03-02'];
    const covered = days.map((day) => reminderWindows(day, [7])[0]!);
    for (let i = 1; i < covered.length; i++) {
      // Today's look-back day is yesterday's own day: nothing falls between two runs.
      expect(covered[i]!.from).toBe(covered[i - 1]!.to);
    }
    expect(covered.map((w) => w.to)).toEqual([
      '2027-03-05',
      '2027-03-06',
      '2027-03-07',
      '2027-03-08',
      '2027-03-09',
    ]);
  });

  test('when lead times are next to each other or one day, then the look-back neither repeats a lead time nor reaches the expiry day', () => {
    expect(reminderWindows('2027-09-01', [1, 2, 14])).toEqual([
      { leadDays: 14, from: '2027-09-14', to: '2027-09-15' },
      { leadDays: 2, from: '2027-09-03', to: '2027-09-03' },
      { leadDays: 1, from: '2027-09-02', to: '2027-09-02' },
    ]);
  });

  test('when the run is near the end of a year, then the days count across it', () => {
    expect(reminderWindows('2027-12-20', [30])).toEqual([
      { leadDays: 30, from: '2028-01-18', to: '2028-01-19' },
    ]);
  });
});

describe('CHARTER_QUALIFICATION_REMINDER_DAYS', () => {
  test('when it is not set, then the reminders are 30 and 7 days ahead', () => {
    expect(workerConfig({})[VARIABLE]).toEqual([30, 7]);
    expect(DEFAULT_REMINDER_DAYS).toEqual([30, 7]);
  });

  test('when it lists days in any order with spaces, then they are read longest first', () => {
    expect(workerConfig({ [VARIABLE]: ' 7, 60 ,30' })[VARIABLE]).toEqual([60, 30, 7]);
    expect(workerConfig({ [VARIABLE]: '14' })[VARIABLE]).toEqual([14]);
  });

  test('when a value is bad, then the worker stops at start naming the variable and the entry', () => {
    expect(problem('30,seven')).toBe(
      `configuration problems:\n  ${VARIABLE}: entry 2 ("seven") must be a whole number of days from 1 to 366`,
    );
    expect(problem('0')).toContain(`${VARIABLE}: entry 1 ("0") must be a whole number of days from 1 to 366`);
    expect(problem('400')).toContain('entry 1 ("400") must be a whole number of days from 1 to 366');
    expect(problem('7.5')).toContain('entry 1 ("7.5") must be a whole number');
    expect(problem('-7')).toContain('entry 1 ("-7") must be a whole number');
    expect(problem('30,,7')).toContain('entry 2 ("") must be a whole number');
    expect(problem('30,7,30')).toContain(`${VARIABLE}: entry 3 ("30") is listed twice`);
    expect(problem('')).toContain(`${VARIABLE}: must list at least one lead time in days`);
    expect(problem(' , ')).toContain('must list at least one lead time in days');
  });
});

describe('the daily schedule', () => {
  test('it starts charterQualificationReminders at 06:00 UTC on the task queue, under an id of that queue', () => {
    const options = qualificationRemindersScheduleOptions('charter');
    expect(options.scheduleId).toBe('charter:qualification-reminders:charter');
    expect(options.spec).toMatchObject({ calendars: [{ hour: 6, minute: 0 }], timezone: 'UTC' });
    expect(options.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'charterQualificationReminders',
      workflowId: 'charter:qualification-reminders:charter',
      taskQueue: 'charter',
    });
  });
});

import { z } from 'zod';
import { cronProblems } from '../rules/cron';
import { timeZoneProblem } from '../rules/timezone';
import { closedObject } from './closed-object';

export const cronSchema = z.string().superRefine((expression, context) => {
  for (const message of cronProblems(expression)) context.addIssue({ code: 'custom', message });
});

export const timeZoneSchema = z.string().superRefine((name, context) => {
  const message = timeZoneProblem(name);
  if (message !== undefined) context.addIssue({ code: 'custom', message });
});

/** When a flow runs. The time zone is explicit because market hours follow daylight saving. */
export const scheduleSchema = closedObject({ cron: cronSchema, timezone: timeZoneSchema });

/** Schedule names become Prefect deployment names, so they follow the same kebab-case. */
export const SCHEDULE_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

// Names are checked in a refinement that always runs rather than as the record's key schema:
// zod skips the value of a bad key, and a bad name should not hide a bad cron beside it.
export const schedulesSchema = z.record(z.string(), scheduleSchema).superRefine(
  (schedules, context) => {
    for (const name of Object.keys(schedules)) {
      if (!SCHEDULE_NAME_PATTERN.test(name)) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'schedule names are kebab-case (e.g. "fmp-eod-prices")',
        });
      }
    }
  },
  { when: () => true },
);

export type Schedule = z.output<typeof scheduleSchema>;

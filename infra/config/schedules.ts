/**
 * The scheduled jobs' rules, without CDK: the stack turns them into EventBridge Scheduler schedules
 * (in the campaign's time zone) and the local runtime's scheduler fires them on this machine.
 * Stage config may override each expression (infra/config/stages.ts).
 */
import * as z from 'zod';

/** An EventBridge schedule expression: `cron(min hour day-of-month month day-of-week year)` or `rate(n unit)`. */
export const ScheduleExpression = z
  .string()
  .regex(
    /^(cron\(\S+ \S+ \S+ \S+ \S+ \S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/,
    'must be an EventBridge schedule: cron(min hour day-of-month month day-of-week year) or rate(n unit)',
  );

export const ScheduleRule = z.strictObject({
  expression: ScheduleExpression,
  /** IANA zone the cron fields are read in (EventBridge Scheduler's ScheduleExpressionTimezone). */
  timeZone: z.string().min(1),
  description: z.string(),
});
export type ScheduleRule = z.infer<typeof ScheduleRule>;

export const SCHEDULE_NAMES = [
  'riskHourly',
  'riskDaily',
  'weeklyReport',
  'finalReportCheck',
  'reorganise',
] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

export const DEFAULT_SCHEDULES: Record<ScheduleName, ScheduleRule> = {
  riskHourly: {
    expression: 'cron(0 8-22 * * ? *)',
    timeZone: 'Asia/Ho_Chi_Minh',
    description:
      'Risk evaluation every hour during working hours (08:00-22:00 local; 07:00 is the daily run)',
  },
  riskDaily: {
    expression: 'cron(0 7 * * ? *)',
    timeZone: 'Asia/Ho_Chi_Minh',
    description: 'The daily 07:00 local risk evaluation (also releases SMS held overnight)',
  },
  weeklyReport: {
    expression: 'cron(0 7 ? * MON *)',
    timeZone: 'Asia/Ho_Chi_Minh',
    description: 'Weekly reports, Monday 07:00 local, for the week that just ended',
  },
  finalReportCheck: {
    expression: 'cron(30 7 * * ? *)',
    timeZone: 'Asia/Ho_Chi_Minh',
    description: "Daily 07:30 local: the final report, on the day after a campaign's last deadline",
  },
  reorganise: {
    expression: 'rate(5 minutes)',
    timeZone: 'Asia/Ho_Chi_Minh',
    description:
      'Reorganisation passes at any hour: finishes an interrupted one, declares convergence (one GetItem per campaign when idle)',
  },
};

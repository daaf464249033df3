/**
 * The only values CloudWatch Logs' PutRetentionPolicy accepts for `retentionInDays`; anything
 * else fails at deploy time, so the config refuses it first.
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

export function isLogRetentionDays(value: number): value is LogRetentionDays {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(value);
}

export function logRetentionProblem(value: number): string {
  const nearest = [...LOG_RETENTION_DAYS].sort(
    (a, b) => Math.abs(a - value) - Math.abs(b - value),
  )[0];
  return `${value} is not a CloudWatch Logs retention period (nearest: ${nearest}); use one of ${LOG_RETENTION_DAYS.join(', ')}`;
}

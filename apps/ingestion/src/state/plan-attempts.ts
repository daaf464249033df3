// A stored plan is repeated until it commits, so one that can never commit would stop its
// dataset for good: on the last attempt the error budget is no longer enforced, and what was
// over it is reported instead (the invalid records are in quarantine, nothing is lost).
import type { BatchAttempt } from '../errors';
import { isOverBudget, type BronzeRunSummary } from '../lake/bronze-run';
import { quarantineRunPrefix } from '../lake/keys';
import type { Lake } from '../lake/lake-target';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { PendingRun } from './run-state';

export interface PlanAttempt extends BatchAttempt {
  /** Whether this attempt commits whatever the error budget says. */
  readonly last: boolean;
}

/** A dry run stores no plan, so it never counts as a plan's last attempt. */
export function planAttempt(
  pending: PendingRun<unknown>,
  maxAttempts: number,
  dryRun: boolean,
): PlanAttempt {
  const attempt = pending.attempts ?? 1;
  return { attempt, maxAttempts, unit: 'plan', last: !dryRun && attempt >= maxAttempts };
}

/** The budget the bronze run enforces: none on the last attempt. */
export function enforcedBudget(budget: number, attempt: PlanAttempt): number {
  return attempt.last ? 1 : budget;
}

export interface CommittedPlan {
  readonly summary: BronzeRunSummary;
  readonly budget: number;
  readonly attempt: PlanAttempt;
  readonly lake: Lake;
  readonly ref: { readonly source: string; readonly dataset: string; readonly dt: string };
  readonly log: Logger;
  readonly metrics: Metrics | undefined;
  /** The metrics' Dataset dimension. */
  readonly metricDataset: string;
}

/**
 * After a plan's commit (both batch connectors): its record metrics and `dataset run committed`
 * line, and when a last attempt committed over the budget, an `error` line and
 * ErrorBudgetExceeded.
 */
export function reportCommittedPlan(commit: CommittedPlan): void {
  const { summary, metrics, metricDataset: dataset } = commit;
  reportIfOverBudget(commit);
  metrics?.add('RecordsRead', summary.read, dataset);
  metrics?.add('RecordsValid', summary.valid, dataset);
  metrics?.add('RecordsQuarantined', summary.quarantined, dataset);
  commit.log.log('info', 'dataset run committed', { ...summary });
}

function reportIfOverBudget(commit: CommittedPlan): void {
  const { summary, budget, attempt } = commit;
  if (!attempt.last || !isOverBudget(summary, budget)) return;
  commit.metrics?.add('ErrorBudgetExceeded', 1, commit.metricDataset);
  const quarantine = commit.lake.store.describe(
    commit.lake.buckets.quarantine,
    quarantineRunPrefix({ ...commit.ref, runId: summary.runId }),
  );
  commit.log.log(
    'error',
    `${summary.dataset} committed over the error budget on the plan's last attempt (${attempt.attempt} of ${attempt.maxAttempts}): ${summary.quarantined} of ${summary.read} records invalid (budget ${(budget * 100).toFixed(2)} %); they are in ${quarantine} with their reasons. The bookmarks moved past them: once the cause is fixed, read the window again with --full`,
    {
      run_id: summary.runId,
      attempt: attempt.attempt,
      max_plan_attempts: attempt.maxAttempts,
      quarantined: summary.quarantined,
      read: summary.read,
    },
  );
}

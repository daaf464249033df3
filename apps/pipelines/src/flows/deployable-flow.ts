// The flows a deployment runs report their own failure: when the body throws, the run is counted
// in the FlowRunsFailed metric that the infrastructure's `flow-runs-failed` alarm watches, and
// the failure notice goes out (flows/notify.ts: SNS, Slack); then the error is rethrown, so
// Prefect still records the run as Failed. A scheduled flow that fails before any ECS task or Glue
// run exists (RunTask refused, no subnets) alarms as the master flow always did.
//
// Once per scheduled run, not once per flow: only the outermost deployable flow of a call chain
// reports. A subflow that fails inside master-flow (or inside dbt-build's cleansing) is counted
// for the deployment that was scheduled, as its failure, when the failure fails that run. A
// failure the parent survives (master-flow's `onSourceFailure: continue`) is no failed run: the
// parent's partial notice says so, and the metric is not moved.
//
// What happens outside the body is Prefect's to report: parameters refused before the run starts
// (a deployment's cannot be, `pipelines:validate` checks them), a worker that dies mid-run, and a
// run interrupted from outside (cancelled: CANCELLED or CRASHED in Prefect, no failure).
import { AsyncLocalStorage } from 'node:async_hooks';
import { loadConfig } from '@finks/config';
import {
  flow,
  getRunLogger,
  type AnyFlow,
  type Flow,
  type FlowOptions,
  type FlowParameters,
} from '@finks/prefect';
import { correlationIdOf } from './correlation';
import { failureNotifier } from './notify';

/** What every deployable flow takes (targetParameters, correlationParameter). */
export type DeployableParameters = FlowParameters & {
  readonly env?: string | undefined;
  readonly correlationId?: string | undefined;
};

/** The step a failure notice names; the body moves it on as it goes (sources → silver → gold). */
export interface FailingStep {
  name: string;
}

export interface DeployableFlowOptions<P extends FlowParameters> extends FlowOptions<P> {
  /** The step a failure names until the body says otherwise; default the flow's name. */
  readonly firstStep?: string;
}

/**
 * Inside a deployable flow's body: the name of the outermost one, which reports the call chain's
 * failure; a deployable flow called there (a subflow) leaves it to that one.
 */
const reportingRun = new AsyncLocalStorage<string>();
const deployableFlows = new WeakSet<AnyFlow>();

/**
 * A run stopped from outside (libs/prefect's PrefectInterruptedError: a worker cancelling it, a
 * SIGTERM) is no failure of the flow: Prefect records it CANCELLED or CRASHED, and notifying it
 * as failed would page on-call for every cancellation. By code, not class: the lib's errors are
 * told apart by `code` (a second copy of the module would break instanceof).
 */
const wasInterrupted = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === 'interrupted';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function reportFailure(
  flowName: string,
  params: DeployableParameters,
  step: string,
  error: unknown,
): Promise<void> {
  const logger = getRunLogger();
  logger.error(`${flowName} failed at ${step}: ${message(error)}`);
  try {
    const config = loadConfig(params.env ? { env: params.env } : {});
    await failureNotifier(config, flowName, correlationIdOf(params)).failed(step, error);
  } catch (reportError) {
    // The flow's own error is what the run must end with; this one is only logged.
    logger.error(`${flowName}'s failure was neither counted nor notified: ${message(reportError)}`);
  }
}

/**
 * `flow()` for a flow that a deployment runs (src/flows/deployable.ts): the same flow, whose
 * failure is counted and notified once per scheduled run (see above).
 */
export function deployableFlow<P extends DeployableParameters, R>(
  options: DeployableFlowOptions<P>,
  body: (params: P, step: FailingStep) => Promise<R>,
): Flow<P, R> {
  const { firstStep, ...flowOptions } = options;
  const created = flow<P, R>(flowOptions, (params: P): Promise<R> => {
    const reporter = reportingRun.getStore();
    const outermost = reporter === undefined;
    const step: FailingStep = { name: firstStep ?? options.name };
    return reportingRun.run(reporter ?? options.name, async () => {
      try {
        return await body(params, step);
      } catch (error) {
        if (outermost && !wasInterrupted(error)) {
          await reportFailure(options.name, params, step.name, error);
        }
        throw error;
      }
    });
  });
  deployableFlows.add(created);
  return created;
}

/** Whether `flow` was made by deployableFlow (pipelines:validate asks it of every deployment). */
export function reportsItsFailures(flow: AnyFlow): boolean {
  return deployableFlows.has(flow);
}

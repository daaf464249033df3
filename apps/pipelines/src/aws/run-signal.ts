import { getRunContext } from '@finks/prefect';

/**
 * `given`, else the signal of the run the caller is in: a run that is cancelled (its process gets
 * SIGTERM from the worker, and libs/prefect aborts its signal) or times out stops the ECS task,
 * Glue job run or child process it started, instead of leaving it running after the flow is gone.
 */
export function runSignal(given?: AbortSignal): AbortSignal | undefined {
  return given ?? getRunContext().signal;
}

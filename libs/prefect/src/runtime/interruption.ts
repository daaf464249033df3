import { PrefectError } from '../errors/prefect-error';

/**
 * The process is going away (SIGTERM, SIGINT, an uncaught exception) while a run is in progress:
 * the reason its signal is aborted with. A worker cancels a flow run this way, so work a body
 * started elsewhere (an ECS task, a Glue job run, a child process) must be stopped on it.
 */
export class PrefectInterruptedError extends PrefectError {
  override name = 'PrefectInterruptedError';

  constructor(message: string) {
    super('interrupted', message);
  }
}

interface RunningBody {
  readonly controller: AbortController;
  /** Settles when the body has returned or thrown, i.e. when its clean-up is over. */
  readonly settled: Promise<unknown>;
}

const runningBodies = new Set<RunningBody>();
let interruption: PrefectInterruptedError | undefined;

/** Registers a flow or task body in progress; the returned function unregisters it. */
export function trackRunningBody(controller: AbortController, work: Promise<unknown>): () => void {
  const body: RunningBody = { controller, settled: work.catch(() => undefined) };
  runningBodies.add(body);
  return () => {
    runningBodies.delete(body);
  };
}

/** The interruption in progress, if any: its runs are reported by the crash handler alone. */
export function currentInterruption(): PrefectInterruptedError | undefined {
  return interruption;
}

/**
 * Aborts the signal of every body in progress with a PrefectInterruptedError, then waits until
 * they have all settled or `graceMs` has passed: a body that stops its ECS task or Glue run on
 * abort needs a request or two for it, and the process exits right after.
 */
export async function interruptRunningBodies(message: string, graceMs: number): Promise<void> {
  interruption ??= new PrefectInterruptedError(message);
  const bodies = [...runningBodies];
  for (const body of bodies) body.controller.abort(interruption);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(bodies.map((body) => body.settled)),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

// The process a worker starts for one flow run:
//   node --import tsx flow-run-entry.ts <file.ts>:<exportName>
// with PREFECT__FLOW_RUN_ID and PREFECT_API_URL in the environment. It loads the deployment's
// flow and calls it with the run's parameters; the flow adopts the run (see runtime/flow.ts).
//
//   node --import tsx flow-run-entry.ts --standby
// starts the same process ahead of time and waits for its run over IPC ({ flowRunId,
// entrypoint, env, cwd }): Node and tsx start-up (about a second) then happen before the run is
// picked up instead of after. The worker keeps one such warm process.
//
// Exit codes: 0 flow completed, 1 flow failed, 2 the entrypoint could not be loaded.
import { createPrefectClient, unwrap } from '../client/client';
import { prefectSettingsFromEnv } from '../client/settings';
import type { AnyFlow } from '../runtime/flow';
import { loadFlowFromEntrypoint, type FlowRunAssignment } from './entrypoint';

async function standby(): Promise<FlowRunAssignment> {
  // Load the lib (and zod with it) now, while nobody is waiting.
  await import('../index');
  return new Promise((resolve) => {
    // The worker went away before handing over a run: nothing to do.
    const onDisconnect = (): void => process.exit(0);
    process.once('disconnect', onDisconnect);
    process.once('message', (message: FlowRunAssignment) => {
      process.off('disconnect', onDisconnect);
      process.disconnect?.();
      resolve(message);
    });
    process.send?.({ ready: true });
  });
}

async function main(): Promise<number> {
  let entrypoint = process.argv[2];
  let assigned: Record<string, unknown> | undefined;
  if (entrypoint === '--standby') {
    const assignment = await standby();
    assigned = assignment.parameters;
    Object.assign(process.env, assignment.env, { PREFECT__FLOW_RUN_ID: assignment.flowRunId });
    process.chdir(assignment.cwd);
    entrypoint = assignment.entrypoint;
  }
  const flowRunId = process.env['PREFECT__FLOW_RUN_ID'];
  const settings = prefectSettingsFromEnv();
  if (!entrypoint || !flowRunId || !settings) {
    console.error(
      'Usage: PREFECT_API_URL=… PREFECT__FLOW_RUN_ID=… flow-run-entry.ts <file.ts>:<flowExport>',
    );
    return 2;
  }
  let selected: AnyFlow;
  let parameters: Record<string, unknown>;
  try {
    selected = await loadFlowFromEntrypoint(entrypoint);
    if (assigned) {
      parameters = assigned;
    } else {
      const client = createPrefectClient(settings);
      const run = await unwrap(
        client.api.GET('/flow_runs/{id}', { params: { path: { id: flowRunId } } }),
      );
      parameters = { ...(run.parameters ?? {}) };
    }
  } catch (error) {
    console.error(`Could not load flow run ${flowRunId} from ${entrypoint}:`, error);
    return 2;
  }
  try {
    await selected(parameters);
    return 0;
  } catch {
    // The flow run's state and logs already say what went wrong.
    return 1;
  }
}

process.exitCode = await main();

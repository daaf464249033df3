// finks-worker --pool <name>: runs TypeScript flow deployments of a Prefect work pool.
// See libs/prefect/README.md ("Worker") for the pool type and job variables.
import { parseArgs } from 'node:util';
import { runWorker, type WorkerOptions } from './worker';

const USAGE = `Usage: finks-worker --pool <name> [options]

  --pool <name>               work pool to serve (created if missing)        [required]
  --name <name>               worker name (default finks-worker-<host>-<pid>)
  --work-queue <name>         only this queue; repeat for several (default: all)
  --poll-interval <seconds>   between polls for scheduled runs (default 2)
  --prefetch <seconds>        claim runs scheduled this far ahead (default 2)
  --limit <n>                 flow runs at once (default: no limit)
  --heartbeat-interval <s>    between heartbeats (default 30)
  --shutdown-grace <seconds>  on SIGTERM, time for running flows to finish (default 60)
  --quiet                     do not forward the flow processes' output

Environment: PREFECT_API_URL (required, ends in /api), PREFECT_API_AUTH_STRING.`;

function seconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a number ≥ 0.`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pool: { type: 'string' },
      name: { type: 'string' },
      'work-queue': { type: 'string', multiple: true },
      'poll-interval': { type: 'string' },
      prefetch: { type: 'string' },
      limit: { type: 'string' },
      'heartbeat-interval': { type: 'string' },
      'shutdown-grace': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.pool) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const optional = <K extends keyof WorkerOptions>(key: K, value: WorkerOptions[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  await runWorker({
    pool: values.pool,
    ...optional('name', values.name),
    ...optional('workQueues', values['work-queue']),
    ...optional('pollIntervalSeconds', seconds('poll-interval', values['poll-interval'])),
    ...optional('prefetchSeconds', seconds('prefetch', values.prefetch)),
    ...optional('concurrencyLimit', seconds('limit', values.limit)),
    ...optional(
      'heartbeatIntervalSeconds',
      seconds('heartbeat-interval', values['heartbeat-interval']),
    ),
    ...optional('shutdownGraceSeconds', seconds('shutdown-grace', values['shutdown-grace'])),
    ...(values.quiet ? { streamOutput: false } : {}),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

/**
 * Variables Node.js and libuv read only while the process starts (NODE_OPTIONS,
 * NODE_EXTRA_CA_CERTS, NODE_PATH, UV_THREADPOOL_SIZE, …). The warm spare has started already,
 * so setting them in its `process.env` afterwards does nothing; NODE_ENV is included because
 * modules the spare loaded before the hand-over may have read it too.
 */
function readAtStart(name: string): boolean {
  return name.startsWith('NODE_') || name.startsWith('UV_');
}

/**
 * The names in a job's `env` that would be ignored by the already started spare process: those
 * read at start whose value differs from the environment the spare was started with. A run
 * that sets any of them needs a fresh process.
 */
export function startTimeVariablesChanged(
  jobEnv: Readonly<Record<string, string>>,
  spareEnv: NodeJS.ProcessEnv,
): string[] {
  return Object.keys(jobEnv).filter((name) => readAtStart(name) && jobEnv[name] !== spareEnv[name]);
}

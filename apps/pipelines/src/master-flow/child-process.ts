// Runs another app's command and keeps what the flow needs from it: exit code, stdout (the JSON
// summaries those commands print) and the tail of stderr (their logs) for the error message.
import { spawn } from 'node:child_process';
import { StepFailedError } from './step-failed-error';

export interface ChildResult {
  readonly stdout: string;
  readonly stderrTail: readonly string[];
}

export interface RunChildOptions {
  readonly label: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /**
   * For a command started ahead and held (the dbt-runner's `--hold`): when this resolves, a line
   * `go` (true) or the end of input (false) goes to its stdin. Without it stdin is closed at once.
   */
  readonly release?: Promise<boolean>;
}

const TAIL_LINES = 30;

export function runChild(
  command: string,
  args: readonly string[],
  options: RunChildOptions,
): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: 'pipe',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // A child that has exited has closed its end: a late go has nobody to tell.
    child.stdin.on('error', () => undefined);
    if (options.release) {
      void options.release.then(
        (go) => child.stdin.end(go ? 'go\n' : ''),
        () => child.stdin.end(),
      );
    } else child.stdin.end();
    let stdout = '';
    const tail: string[] = [];
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      tail.push(...lines.filter((line) => line.trim() !== ''));
      tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
    });
    child.on('error', (error) => {
      // Node kills the child on abort and reports it here as an AbortError: say why it stopped.
      const reason: unknown = options.signal?.aborted ? options.signal.reason : undefined;
      const why =
        reason === undefined
          ? `could not start: ${error.message}`
          : `was stopped: ${reason instanceof Error ? reason.message : String(reason)}`;
      reject(new StepFailedError(options.label, why, tail));
    });
    child.on('close', (code, signal) => {
      if (partial.trim() !== '') tail.push(partial);
      if (code === 0) resolvePromise({ stdout, stderrTail: tail });
      else
        reject(
          new StepFailedError(
            options.label,
            signal ? `was killed by ${signal}` : `exited with code ${code}`,
            tail,
          ),
        );
    });
  });
}

/** Parses the JSON values a command printed, one per line (non-JSON lines are ignored). */
export function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('{') || line.startsWith('['))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
}

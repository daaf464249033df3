import { format } from 'node:util';
import type { PrefectSchemas } from '../client/client';

/** Python logging levels, which is what Prefect stores and the UI filters on. */
export const LOG_LEVELS = {
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  critical: 50,
} as const;
export type LogLevelName = keyof typeof LOG_LEVELS;

export type LogCreate = PrefectSchemas['LogCreate'];

export interface RunLogger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warning(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  critical(message: string, ...args: unknown[]): void;
}

/** Where log records go besides the console: the API's `POST /logs/` batcher, or nowhere. */
export interface LogSink {
  add(record: LogCreate): void;
}

export interface RunLoggerTarget {
  readonly kind: 'flow' | 'task';
  /** Undefined for lines logged outside of any run (console only). */
  readonly runName: string | undefined;
  readonly flowRunId?: string;
  readonly taskRunId?: string;
}

/** The console level: PREFECT_LOGGING_LEVEL (Python's setting), INFO by default. */
export function consoleLevelFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const name = env['PREFECT_LOGGING_LEVEL']?.trim().toLowerCase();
  if (name === 'warn') return LOG_LEVELS.warning;
  if (name && name in LOG_LEVELS) return LOG_LEVELS[name as LogLevelName];
  return LOG_LEVELS.info;
}

const LEVEL_LABEL: Record<number, string> = {
  10: 'DEBUG',
  20: 'INFO',
  30: 'WARNING',
  40: 'ERROR',
  50: 'CRITICAL',
};

/** One logger per run: every line goes to the console and, with an API, to `POST /logs/`. */
export function createRunLogger(
  target: RunLoggerTarget,
  sink: LogSink | undefined,
  consoleLevel: number,
): RunLogger {
  const emit = (level: number, message: string, args: unknown[]): void => {
    const text = args.length > 0 ? format(message, ...args) : message;
    const timestamp = new Date();
    if (level >= consoleLevel) {
      const time = timestamp.toISOString().slice(11, 23);
      const who =
        target.runName === undefined
          ? 'prefect'
          : `${target.kind === 'flow' ? 'Flow' : 'Task'} run '${target.runName}'`;
      const label = (LEVEL_LABEL[level] ?? String(level)).padEnd(7);
      process.stderr.write(`${time} | ${label} | ${who} - ${text}\n`);
    }
    sink?.add({
      name: target.kind === 'flow' ? 'prefect.flow_runs' : 'prefect.task_runs',
      level,
      message: text,
      timestamp: timestamp.toISOString(),
      ...(target.flowRunId !== undefined ? { flow_run_id: target.flowRunId } : {}),
      ...(target.taskRunId !== undefined ? { task_run_id: target.taskRunId } : {}),
    });
  };
  return {
    debug: (message, ...args) => emit(LOG_LEVELS.debug, message, args),
    info: (message, ...args) => emit(LOG_LEVELS.info, message, args),
    warning: (message, ...args) => emit(LOG_LEVELS.warning, message, args),
    error: (message, ...args) => emit(LOG_LEVELS.error, message, args),
    critical: (message, ...args) => emit(LOG_LEVELS.critical, message, args),
  };
}

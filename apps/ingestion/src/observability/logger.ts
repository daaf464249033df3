import { randomUUID } from 'node:crypto';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  readonly correlationId: string;
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** Values (secrets) replaced by `[redacted]` wherever they appear in a line. */
  redact(value: string): void;
}

export interface LoggerOptions {
  readonly correlationId?: string;
  readonly write?: (line: string) => void;
  readonly minLevel?: LogLevel;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * FINKS_CORRELATION_ID, else the Prefect flow run id (a worker exports PREFECT__FLOW_RUN_ID),
 * else a new id. FINKS_CORRELATION_ID comes first because the pipelines set it to the master
 * flow's id for every connector they start, while PREFECT__FLOW_RUN_ID, inherited from the flow
 * run process, may be a subflow's own run.
 */
export function correlationIdFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env['FINKS_CORRELATION_ID'] ?? env['PREFECT__FLOW_RUN_ID'] ?? randomUUID();
}

/** One JSON object per line on stderr; stdout stays free for EMF metrics and results. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = new Set<string>();
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const correlationId = options.correlationId ?? correlationIdFromEnv();
  const min = ORDER[options.minLevel ?? 'info'];
  const make = (base: Record<string, unknown>): Logger => ({
    correlationId,
    log(level, message, fields = {}) {
      if (ORDER[level] < min) return;
      let line = JSON.stringify({
        time: new Date().toISOString(),
        level,
        correlation_id: correlationId,
        ...base,
        message,
        ...fields,
      });
      for (const secret of secrets) line = line.split(secret).join('[redacted]');
      write(line);
    },
    child(fields) {
      return make({ ...base, ...fields });
    },
    redact(value) {
      if (value.length >= 4) secrets.add(value);
    },
  });
  return make({ service: 'finks-ingestion' });
}

/** A logger that drops everything, for library callers that pass none. */
export const silentLogger: Logger = createLogger({ write: () => undefined });

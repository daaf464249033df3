// The connectors' command line: `tsx src/main.ts <fmp|mongodb|news-stream> [flags]`.
import { CommanderError } from 'commander';
import { buildProgram } from './cli/program';
import { IngestionError } from './errors';
import { createLogger, correlationIdFromEnv } from './observability/logger';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
  process.exitCode = 0;
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; bad flags exit 2 with commander's message naming the flag.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    const logger = createLogger({ correlationId: correlationIdFromEnv() });
    for (const name of ['FMP_API_KEY', 'MONGODB_URI']) {
      const value = process.env[name];
      if (value) logger.redact(value);
    }
    const code = error instanceof IngestionError ? error.code : 'internal';
    logger.log('error', error instanceof Error ? error.message : String(error), { code });
    process.exitCode = 1;
  }
}

// Open keep-alive sockets must not hold a finished run; flush stdout (EMF lines) first.
process.stdout.write('', () => process.exit());

// `npx tsx apps/pipelines/src/transformation/bronze-to-silver/cli.ts --lake-root <abs> …`: the
// local bronze → silver step as a command; prints one JSON summary per dataset on stdout.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CONTRACTS } from '@finks/contracts';
import { parseEnv } from '@finks/lake-paths';
import {
  BATCH_SELECTIONS,
  batchSelectionProblem,
  bronzeToSilver,
  type BatchSelection,
} from './bronze-to-silver';
import { LOCAL_ACCOUNT_ID } from './local-lake';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

export function bronzeToSilverCommand(): Command {
  return new Command('bronze-to-silver')
    .description('Cleanse bronze into silver Parquet on the local lake with DuckDB')
    .requiredOption('--lake-root <path>', 'folder of the local lake (made absolute)', (value) =>
      isAbsolute(value) ? value : resolve(value),
    )
    .option(
      '--datasets <ids>',
      'contract ids, comma-separated (default: all)',
      list,
      CONTRACTS.map((contract) => contract.id),
    )
    .option(
      '--dates <dates>',
      'bronze dt partitions, YYYY-MM-DD, comma-separated (none with --batches rebuild)',
      list,
      [] as string[],
    )
    .requiredOption('--run-id <id>', "this run (correlation id): each reject's rejected_by.run_id")
    .addOption(
      new Option(
        '--batches <which>',
        'all: every batch of the dates; pending: those the silver ledger lacks; rebuild: every ' +
          'bronze date into tables built anew',
      )
        .choices(BATCH_SELECTIONS)
        .default('all'),
    )
    .option(
      '--env <env>',
      'lake environment',
      (value) => {
        try {
          return parseEnv(value);
        } catch (error) {
          throw new InvalidArgumentError((error as Error).message);
        }
      },
      'local' as const,
    )
    .option('--account-id <id>', 'account in the bucket names', LOCAL_ACCOUNT_ID)
    .action(
      async (
        options: {
          lakeRoot: string;
          datasets: string[];
          dates: string[];
          runId: string;
          batches: BatchSelection;
          env: ReturnType<typeof parseEnv>;
          accountId: string;
        },
        command: Command,
      ) => {
        const problem = batchSelectionProblem(options.batches, options.dates);
        if (problem !== null) command.error(`error: ${problem}`, { exitCode: 2 });
        const summaries = await bronzeToSilver(options);
        for (const summary of summaries) process.stdout.write(`${JSON.stringify(summary)}\n`);
      },
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bronzeToSilverCommand().parseAsync(process.argv);
}

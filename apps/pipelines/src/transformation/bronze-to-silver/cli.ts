// `npx tsx apps/pipelines/src/transformation/bronze-to-silver/cli.ts --lake-root <abs> …`: the
// local bronze → silver step as a command; prints one JSON summary per dataset on stdout.
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { parseRunId } from '@finks/lake-paths';
import { commaList, withLocalLakeOptions, type LocalLakeCliOptions } from '../local-lake-cli';
import {
  BATCH_SELECTIONS,
  batchSelectionProblem,
  bronzeToSilver,
  type BatchSelection,
} from './bronze-to-silver';
import { CATCH_UP_DAYS } from './catch-up-window';

export function bronzeToSilverCommand(): Command {
  return withLocalLakeOptions(
    new Command('bronze-to-silver').description(
      'Cleanse bronze into silver Parquet on the local lake with DuckDB',
    ),
  )
    .option(
      '--dates <dates>',
      'bronze dt partitions, YYYY-MM-DD, comma-separated (none with --batches pending: the ' +
        `${CATCH_UP_DAYS} UTC days before now and today; none with --batches rebuild: every date)`,
      commaList,
      [] as string[],
    )
    .requiredOption('--run-id <id>', "this run (correlation id): each reject's rejected_by.run_id")
    .addOption(
      new Option(
        '--batches <which>',
        'all: every batch of the dates (a backfill); pending: those the silver ledger lacks; ' +
          'rebuild: every bronze date into tables built anew',
      )
        .choices(BATCH_SELECTIONS)
        .default('all'),
    )
    .action(
      async (
        options: LocalLakeCliOptions & {
          dates: string[];
          runId: string;
          batches: BatchSelection;
        },
        command: Command,
      ) => {
        const problem = batchSelectionProblem(options.batches, options.dates);
        if (problem !== null) command.error(`error: ${problem}`, { exitCode: 2 });
        // The run id names a folder beside the silver table: refuse one that is not a run id.
        try {
          parseRunId(options.runId, '--run-id');
        } catch (error) {
          command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
        }
        const summaries = await bronzeToSilver(options);
        for (const summary of summaries) process.stdout.write(`${JSON.stringify(summary)}\n`);
      },
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bronzeToSilverCommand().parseAsync(process.argv);
}

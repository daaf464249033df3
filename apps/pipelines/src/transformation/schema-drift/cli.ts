// `npx tsx apps/pipelines/src/transformation/schema-drift/cli.ts --lake-root <abs> …`: the local
// schema-drift check as a command; prints one JSON drift report per dataset on stdout. Exit 0,
// or 1 with --fail-on-drift when a report finds drift (as validate_schemas.py --fail_on_drift).
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { commaList, withLocalLakeOptions, type LocalLakeCliOptions } from '../local-lake-cli';
import { schemaDrift } from './schema-drift';

export function schemaDriftCommand(): Command {
  return withLocalLakeOptions(
    new Command('schema-drift').description(
      'Check bronze against the dataset contracts on the local lake and report drift',
    ),
  )
    .requiredOption(
      '--dates <dates>',
      'bronze dt partitions, YYYY-MM-DD, comma-separated',
      commaList,
    )
    .requiredOption('--run-id <id>', 'this validation run: the reports’ run_id and key')
    .option('--fail-on-drift', 'exit 1 when a report finds drift', false)
    .action(
      async (
        options: LocalLakeCliOptions & { dates: string[]; runId: string; failOnDrift: boolean },
      ) => {
        const reports = await schemaDrift(options);
        for (const report of reports) process.stdout.write(`${JSON.stringify(report)}\n`);
        if (options.failOnDrift && reports.some((report) => report.drift)) process.exitCode = 1;
      },
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await schemaDriftCommand().parseAsync(process.argv);
}

// `npx tsx apps/pipelines/src/transformation/schema-drift/cli.ts --lake-root <abs> …`: the local
// schema-drift check as a command; prints one JSON drift report per dataset on stdout. Exit 0,
// or 1 with --fail-on-drift when a report finds drift (as validate_schemas.py --fail_on_drift).
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { CONTRACTS } from '@finks/contracts';
import { parseEnv } from '@finks/lake-paths';
import { LOCAL_ACCOUNT_ID } from '../bronze-to-silver/local-lake';
import { schemaDrift } from './schema-drift';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

export function schemaDriftCommand(): Command {
  return new Command('schema-drift')
    .description('Check bronze against the dataset contracts on the local lake and report drift')
    .requiredOption('--lake-root <path>', 'folder of the local lake (made absolute)', (value) =>
      isAbsolute(value) ? value : resolve(value),
    )
    .option(
      '--datasets <ids>',
      'contract ids, comma-separated (default: all)',
      list,
      CONTRACTS.map((contract) => contract.id),
    )
    .requiredOption('--dates <dates>', 'bronze dt partitions, YYYY-MM-DD, comma-separated', list)
    .requiredOption('--run-id <id>', 'this validation run: the reports’ run_id and key')
    .option('--fail-on-drift', 'exit 1 when a report finds drift', false)
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
      async (options: {
        lakeRoot: string;
        datasets: string[];
        dates: string[];
        runId: string;
        failOnDrift: boolean;
        env: ReturnType<typeof parseEnv>;
        accountId: string;
      }) => {
        const reports = await schemaDrift(options);
        for (const report of reports) process.stdout.write(`${JSON.stringify(report)}\n`);
        if (options.failOnDrift && reports.some((report) => report.drift)) process.exitCode = 1;
      },
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await schemaDriftCommand().parseAsync(process.argv);
}

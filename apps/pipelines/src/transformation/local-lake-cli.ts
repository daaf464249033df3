// The options every local-lake command of this app takes (bronze-to-silver/cli.ts,
// schema-drift/cli.ts): where the lake is, which datasets, and the bucket names' env and account.
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CONTRACTS } from '@finks/contracts';
import { parseEnv, type Env } from '@finks/lake-paths';
import { LOCAL_ACCOUNT_ID } from './bronze-to-silver/local-lake';

/** `a, b,,c` → `['a', 'b', 'c']`. */
export const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

export interface LocalLakeCliOptions {
  readonly lakeRoot: string;
  readonly datasets: string[];
  readonly env: Env;
  readonly accountId: string;
}

/** Adds `--lake-root` (required), `--datasets`, `--env` and `--account-id` to `command`. */
export function withLocalLakeOptions(command: Command): Command {
  return command
    .requiredOption('--lake-root <path>', 'folder of the local lake (made absolute)', (value) =>
      isAbsolute(value) ? value : resolve(value),
    )
    .option(
      '--datasets <ids>',
      'contract ids, comma-separated (default: all)',
      commaList,
      CONTRACTS.map((contract) => contract.id),
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
    .option('--account-id <id>', 'account in the bucket names', LOCAL_ACCOUNT_ID);
}

// Compiles the project for an Athena target (no AWS call: compile without cache population)
// and lints the compiled models with sqlfluff's athena dialect, so SQL that only Trino would
// reject fails here. Usage: tsx src/cli/lint-athena.ts [dev|staging|prod]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '@finks/lake-paths';
import { REPO_ROOT } from '../app-root';
import { resolveDbtBinary } from '../dbt/dbt-binary';
import { dbtArgs } from '../dbt/dbt-args';
import { athenaTargetEnvironment } from '../dbt/target-environment';
import { DBT_PROJECT_DIR } from '../app-root';

const env = parseEnv(process.argv[2] ?? 'dev');
if (env === 'local') throw new Error('lint-athena needs an Athena env: dev, staging or prod');
const environment = athenaTargetEnvironment({
  env,
  accountId: '123456789012',
  region: 'us-east-1',
});
const targetPath = mkdtempSync(join(tmpdir(), 'finks-athena-compile-'));
// Every exit below goes through process.exit, so the compiled tree is removed here.
process.on('exit', () => rmSync(targetPath, { recursive: true, force: true }));
const args = [
  ...dbtArgs({
    command: 'compile',
    target: environment.target,
    vars: environment.vars,
    targetPath,
    select: ['resource_type:model'],
  }),
  '--no-populate-cache',
];
const compiled = spawnSync(resolveDbtBinary(), args, {
  cwd: DBT_PROJECT_DIR,
  stdio: 'inherit',
  env: {
    ...process.env,
    ...environment.env,
    DBT_PROFILES_DIR: DBT_PROJECT_DIR,
    DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
    // Compile never calls AWS, but botocore wants credentials to build a session.
    AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'] ?? 'compile-only',
    AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'compile-only',
  },
});
if (compiled.status !== 0) process.exit(compiled.status ?? 2);

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.endsWith('.yml') ? [] : sqlFiles(path);
    return name.endsWith('.sql') ? [path] : [];
  });
}

const files = sqlFiles(join(targetPath, 'compiled', 'finks', 'models'));
// Parse errors always fail; CP01 adds the lowercase-keyword convention to the compiled SQL.
const lint = spawnSync(
  join(REPO_ROOT, '.venv', 'bin', 'sqlfluff'),
  ['lint', '--dialect', 'athena', '--templater', 'raw', '--rules', 'CP01', ...files],
  { stdio: 'inherit' },
);
console.log(`sqlfluff (athena) over ${files.length} compiled models`);
process.exit(lint.status ?? 2);

import type { Writable } from 'node:stream';
import { spawnDbt } from '../dbt/spawn-dbt';
import { dbtProcessFor, type TargetEnvironment } from '../dbt/target-environment';
import { DbtRunnerError } from '../errors/dbt-runner-error';
import { assertCiSchema } from './ci-schema';

export interface DropCiSchemaOptions {
  readonly schema: string;
  readonly environment: TargetEnvironment;
  /** dbt's target folder for the run-operation (a build's folder reuses its parse). */
  readonly targetPath: string;
  readonly log?: Writable;
  readonly projectDir?: string;
  readonly dbtBinary?: string;
}

/**
 * Drops a pull request's schema with everything in it (`drop_ci_schema` macro: DuckDB
 * `drop schema … cascade`, a Glue database on Athena). The name is checked here and again in
 * the macro; a schema that does not exist is not an error (a PR whose CI built nothing).
 */
export async function dropCiSchema(options: DropCiSchemaOptions): Promise<void> {
  const schema = assertCiSchema(options.schema);
  const result = await spawnDbt(
    {
      command: 'run-operation',
      target: options.environment.target,
      targetPath: options.targetPath,
      operation: 'drop_ci_schema',
      operationArgs: { schema_name: schema },
      // Vars that configs read (Athena's gold locations) must render the same as in a build.
      vars: options.environment.vars,
    },
    {
      ...dbtProcessFor(options.environment),
      ...(options.log ? { log: options.log } : {}),
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
      ...(options.dbtBinary ? { dbtBinary: options.dbtBinary } : {}),
    },
  );
  if (result.exitCode !== 0) {
    throw new DbtRunnerError(
      'dbt_crashed',
      `could not drop the CI schema ${schema} (dbt run-operation exited ${result.exitCode}; see its log)`,
      { schema },
    );
  }
}

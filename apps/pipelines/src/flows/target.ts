// Where a flow's steps run, decided by the environment's config: `local` (the filesystem lake,
// other apps as child processes, DuckDB silver, dbt-duckdb gold) or `aws` (S3, ECS tasks, Glue
// jobs). Flows take the environment as a parameter so one deployment per environment is enough.
import { resolve } from 'node:path';
import { loadConfig, type FinksConfig } from '@finks/config';
import { parseEnv } from '@finks/lake-paths';
import { z } from 'zod';
import { workspaceRoot } from '../master-flow/app-commands';
import type { LocalLakeTarget } from '../master-flow/local-lake-target';

/** Parameters every flow takes to find its environment (both optional). */
export const targetParameters = {
  env: z
    .string()
    .optional()
    .describe('Finks environment (config/<env>.yaml); default FINKS_ENV, else local'),
  lakeRoot: z
    .string()
    .optional()
    .describe('Local runs only: the filesystem lake directory (default: lake.root of the config)'),
};

export type StepTarget =
  | { readonly kind: 'local'; readonly config: FinksConfig; readonly lake: LocalLakeTarget }
  | { readonly kind: 'aws'; readonly config: FinksConfig };

export function resolveTarget(params: {
  env?: string | undefined;
  lakeRoot?: string | undefined;
}): StepTarget {
  const config = loadConfig(params.env ? { env: params.env } : {});
  if (config.lake.kind === 's3') {
    if (params.lakeRoot) {
      throw new Error(
        `lakeRoot is for the filesystem lake; env ${config.env} writes to S3 — drop the lakeRoot parameter`,
      );
    }
    return { kind: 'aws', config };
  }
  const root = resolve(workspaceRoot, params.lakeRoot ?? config.lake.root);
  return {
    kind: 'local',
    config,
    lake: { root, env: parseEnv(config.env), accountId: config.accountId },
  };
}

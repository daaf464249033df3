// ingestion-mongodb: the portfolio database (portfolios, transactions) → bronze, incremental by
// its updatedAt + _id watermark. The connection string is never a parameter: MONGODB_URI locally,
// Secrets Manager in AWS.
import { task } from '@finks/prefect';
import { z } from 'zod';
import { runAppStep } from '../app-step';
import { correlationIdOf, correlationParameter } from '../correlation';
import { deployableFlow } from '../deployable-flow';
import type { IngestionStepResult } from './fmp';
import { resolveTarget, targetParameters } from '../target';

export const ingestionMongodbParameters = z.object({
  ...targetParameters,
  ...correlationParameter,
  database: z
    .string()
    .regex(/^[\w-]{1,63}$/, 'a MongoDB database name')
    .optional(),
  collections: z
    .array(z.enum(['portfolios', 'transactions']))
    .min(1)
    .optional(),
  full: z.boolean().optional().describe('ignore the watermark and read every document'),
  settleSeconds: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      "how far behind the run's start the read stops (the connector's --settle-seconds, " +
        'default 60): writes stamped before they became visible are read by a later run',
    ),
  snapshotFile: z
    .string()
    .optional()
    .describe(
      'local runs: read an Extended JSON snapshot instead of the database (no watermark moved)',
    ),
});
export type IngestionMongodbParameters = z.input<typeof ingestionMongodbParameters>;

const runMongodbConnector = task(
  { name: 'mongodb-connector', retries: 1, retryDelaySeconds: 5, tags: ['ingestion', 'mongodb'] },
  async (
    params: IngestionMongodbParameters,
    correlationId: string,
  ): Promise<IngestionStepResult> => {
    const target = resolveTarget(params);
    if (params.snapshotFile && target.kind !== 'local') {
      throw new Error('snapshotFile is for local runs; in AWS the connector reads the database');
    }
    const uri = params.snapshotFile ? undefined : process.env['MONGODB_URI'];
    return runAppStep(target, {
      app: 'ingestion',
      args: [
        'mongodb',
        ...(params.database ? [`--database=${params.database}`] : []),
        ...(params.collections ? [`--collections=${params.collections.join(',')}`] : []),
        ...(params.full ? ['--full'] : []),
        ...(params.settleSeconds === undefined ? [] : [`--settle-seconds=${params.settleSeconds}`]),
        ...(params.snapshotFile ? [`--snapshot-file=${params.snapshotFile}`] : []),
        `--correlation-id=${correlationId}`,
        ...(target.kind === 'local'
          ? ['--lake=local', `--lake-root=${target.lake.root}`]
          : ['--lake=s3']),
      ],
      correlationId,
      env: target.kind === 'local' && uri ? { MONGODB_URI: uri } : {},
      label: 'ingestion mongodb',
    });
  },
);

export const ingestionMongodbFlow = deployableFlow(
  {
    name: 'ingestion-mongodb',
    firstStep: 'mongodb-connector',
    description: 'The portfolio database → bronze, incremental',
    tags: ['ingestion', 'mongodb'],
    parameters: ingestionMongodbParameters,
  },
  async (params: IngestionMongodbParameters) =>
    runMongodbConnector(params, correlationIdOf(params)),
);

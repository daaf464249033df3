import type { z } from 'zod';
import { fargateSizeProblem } from '../rules/fargate';
import { closedObject } from './closed-object';
import { wholeNumber } from './scalars';

/** A Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB, checked as a pair. */
export const fargateSizeSchema = closedObject({
  cpu: wholeNumber(),
  memory: wholeNumber(),
}).superRefine((size, context) => {
  const problem = fargateSizeProblem(size.cpu, size.memory);
  if (problem)
    context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
});

/** Config key → the ECS task (and container image) name the infrastructure uses. */
export const ECS_TASK_NAMES = {
  ingestionFmp: 'ingestion-fmp',
  ingestionMongodb: 'ingestion-mongodb',
  newsStream: 'news-stream',
  dbtRunner: 'dbt-runner',
  prefectServer: 'prefect-server',
  worker: 'worker',
} as const;

export type EcsTaskKey = keyof typeof ECS_TASK_NAMES;

export const ecsSchema = closedObject({
  ingestionFmp: fargateSizeSchema,
  ingestionMongodb: fargateSizeSchema,
  newsStream: fargateSizeSchema,
  dbtRunner: fargateSizeSchema,
  prefectServer: fargateSizeSchema,
  worker: fargateSizeSchema,
} satisfies Record<EcsTaskKey, typeof fargateSizeSchema>);

export type FargateSize = z.output<typeof fargateSizeSchema>;
export type EcsConfig = z.output<typeof ecsSchema>;

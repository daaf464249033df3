import type { EcsTaskKey } from '@finks/config';
import type { App } from '@finks/iam-names';

/** A container image the platform builds, pushed to one ECR repository. */
export interface ImageRef {
  readonly app: App;
  readonly component: string;
}

/** The secrets a task may read; keys of Secrets' `secretArns`. */
export type SecretKey = 'fmpApiKey' | 'mongodbUri' | 'prefectAuth' | 'slackWebhook';

/** One ECS task: which app owns it, which image it runs and what it may touch. */
export interface Workload {
  readonly key: EcsTaskKey;
  readonly app: App;
  /** kebab-case; names the task family, log group and roles. */
  readonly component: string;
  readonly image: ImageRef;
  readonly command: readonly string[];
  readonly secrets: readonly SecretKey[];
  /** Long-running ECS services; the others are run on demand by the Prefect worker. */
  readonly service: boolean;
}

export const IMAGES = {
  connectors: { app: 'ingestion', component: 'connectors' },
  worker: { app: 'ingestion', component: 'worker' },
  dbt: { app: 'dbt-runner', component: 'dbt' },
  prefectServer: { app: 'infrastructure', component: 'prefect-server' },
} as const satisfies Record<string, ImageRef>;

export const WORKLOADS: readonly Workload[] = [
  {
    key: 'ingestionFmp',
    app: 'ingestion',
    component: 'fmp',
    image: IMAGES.connectors,
    command: ['node', 'dist/main.js', 'run', 'fmp'],
    secrets: ['fmpApiKey'],
    service: false,
  },
  {
    key: 'ingestionMongodb',
    app: 'ingestion',
    component: 'mongodb',
    image: IMAGES.connectors,
    command: ['node', 'dist/main.js', 'run', 'mongodb'],
    secrets: ['mongodbUri'],
    service: false,
  },
  {
    key: 'newsStream',
    app: 'ingestion',
    component: 'news-stream',
    image: IMAGES.connectors,
    command: ['node', 'dist/main.js', 'run', 'fmp-news'],
    secrets: ['fmpApiKey'],
    service: false,
  },
  {
    key: 'dbtRunner',
    app: 'dbt-runner',
    component: 'dbt',
    image: IMAGES.dbt,
    command: ['dbt', 'build'],
    secrets: [],
    service: false,
  },
  {
    key: 'worker',
    app: 'ingestion',
    component: 'worker',
    image: IMAGES.worker,
    command: ['node', 'dist/worker.js'],
    secrets: ['prefectAuth', 'slackWebhook'],
    service: true,
  },
  {
    key: 'prefectServer',
    app: 'infrastructure',
    component: 'prefect-server',
    image: IMAGES.prefectServer,
    command: ['prefect', 'server', 'start', '--host', '0.0.0.0'],
    secrets: ['prefectAuth'],
    service: true,
  },
];

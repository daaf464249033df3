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
  /** kebab-case; names the task family, log group, roles, container and image tag prefix. */
  readonly component: string;
  readonly image: ImageRef;
  /**
   * The container's `command`, only for images whose own ENTRYPOINT/CMD is not what the task
   * runs. Absent means the image's default. The platform's images set their ENTRYPOINT (the
   * connector subcommand included) and the flows start them with `containerOverrides.command`
   * holding only the flags, which ECS appends to the ENTRYPOINT; a command here would be
   * appended too and break the CLI.
   */
  readonly command?: readonly string[];
  readonly secrets: readonly SecretKey[];
  /** Long-running ECS services; the others are run on demand by the Prefect worker. */
  readonly service: boolean;
}

export const IMAGES = {
  /** apps/ingestion/docker/<connector>.Dockerfile, one tag per connector (apps/ingestion/deploy.sh). */
  connectors: { app: 'ingestion', component: 'connectors' },
  /** `finks-worker` of libs/prefect running the pipelines app's flows (apps/pipelines/Dockerfile). */
  worker: { app: 'pipelines', component: 'worker' },
  /** apps/dbt-runner/Dockerfile. */
  dbt: { app: 'dbt-runner', component: 'dbt' },
  prefectServer: { app: 'infrastructure', component: 'prefect-server' },
} as const satisfies Record<string, ImageRef>;

export const WORKLOADS: readonly Workload[] = [
  {
    key: 'ingestionFmp',
    app: 'ingestion',
    component: 'fmp',
    image: IMAGES.connectors,
    secrets: ['fmpApiKey'],
    service: false,
  },
  {
    key: 'ingestionMongodb',
    app: 'ingestion',
    component: 'mongodb',
    image: IMAGES.connectors,
    secrets: ['mongodbUri'],
    service: false,
  },
  {
    key: 'newsStream',
    app: 'ingestion',
    component: 'news-stream',
    image: IMAGES.connectors,
    secrets: ['fmpApiKey'],
    service: false,
  },
  {
    key: 'dbtRunner',
    app: 'dbt-runner',
    component: 'dbt',
    image: IMAGES.dbt,
    secrets: [],
    service: false,
  },
  {
    // ENTRYPOINT runs `finks-worker --pool finks-<env>` with FINKS_ENV from the task.
    key: 'worker',
    app: 'pipelines',
    component: 'worker',
    image: IMAGES.worker,
    secrets: ['prefectAuth', 'slackWebhook'],
    service: true,
  },
  {
    // The repository holds a Prefect build; the task says which of its commands to run.
    key: 'prefectServer',
    app: 'infrastructure',
    component: 'prefect-server',
    image: IMAGES.prefectServer,
    command: ['prefect', 'server', 'start', '--host', '0.0.0.0'],
    secrets: ['prefectAuth'],
    service: true,
  },
];

// The on-demand ECS tasks the flows run and where infrastructure puts them. The infrastructure app
// builds the same names from the same libs (apps/infrastructure/src/common/workloads.ts): the
// task family, log group, container and log stream prefix are all named by the component.
import type { EcsTaskKey, FinksEnv } from '@finks/config';
import {
  ecsClusterName,
  ecsTaskFamilyName,
  logGroupName,
  type App,
  type ResourceNameInput,
} from '@finks/iam-names';

export const ECS_WORKLOADS = {
  ingestionFmp: { app: 'ingestion', component: 'fmp' },
  ingestionMongodb: { app: 'ingestion', component: 'mongodb' },
  newsStream: { app: 'ingestion', component: 'news-stream' },
  dbtRunner: { app: 'dbt-runner', component: 'dbt' },
} as const satisfies Partial<Record<EcsTaskKey, { app: App; component: string }>>;

export type EcsWorkload = keyof typeof ECS_WORKLOADS;

export interface EcsTarget {
  readonly cluster: string;
  readonly taskDefinition: string;
  /** The essential container, named like the component. */
  readonly container: string;
  readonly logGroup: string;
  /** `awslogs-stream-prefix`: streams are `<prefix>/<container>/<task id>`. */
  readonly logStreamPrefix: string;
}

/** Cluster, task family and log group of a workload in an environment. */
export function ecsTargetFor(workload: EcsWorkload, env: FinksEnv): EcsTarget {
  const { app, component } = ECS_WORKLOADS[workload];
  const input: ResourceNameInput = { app, env, component };
  return {
    cluster: ecsClusterName({ app: 'infrastructure', env, component: 'platform' }),
    taskDefinition: ecsTaskFamilyName(input),
    container: component,
    logGroup: logGroupName(input),
    logStreamPrefix: component,
  };
}

export function isEcsWorkload(value: string): value is EcsWorkload {
  return Object.hasOwn(ECS_WORKLOADS, value);
}

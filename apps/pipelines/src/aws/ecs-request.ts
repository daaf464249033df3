import type { FinksEnv } from '@finks/config';
import { AwsInputError } from './aws-input-error';
import type { EcsWorkload } from './ecs-workloads';
import { ECS_WORKLOADS } from './ecs-workloads';

/** awsvpc networking of the task: private subnets and the workload security group, usually. */
export interface EcsNetwork {
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  /** Default false: tasks reach AWS through the VPC's NAT or endpoints. */
  readonly assignPublicIp?: boolean;
}

export interface EcsTaskRequest {
  readonly workload: EcsWorkload;
  readonly env: FinksEnv;
  /** Set as FINKS_CORRELATION_ID in the container, whatever `environment` says. */
  readonly correlationId: string;
  /** Replaces the container's command, e.g. `['build', '--env=prod', '--json']`. */
  readonly command: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly network: EcsNetwork;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a request before anything is started, naming the field and what to change. */
export function checkEcsTaskRequest(request: EcsTaskRequest): void {
  if (!Object.hasOwn(ECS_WORKLOADS, request.workload)) {
    throw new AwsInputError(
      'workload',
      `"${String(request.workload)}" is not an on-demand ECS workload (expected one of ${Object.keys(ECS_WORKLOADS).join(', ')})`,
    );
  }
  checkCorrelationId(request.correlationId);
  if (request.command.length === 0 || request.command.some((part) => typeof part !== 'string')) {
    throw new AwsInputError('command', 'must be a non-empty list of strings, e.g. ["build"]');
  }
  if (request.network.subnets.length === 0) {
    throw new AwsInputError(
      'network.subnets',
      'is empty: Fargate tasks (awsvpc) need at least one subnet id, e.g. the private subnets',
    );
  }
  if (request.network.securityGroups.length === 0) {
    throw new AwsInputError(
      'network.securityGroups',
      'is empty: pass the workload security group id, or the task gets the VPC default group',
    );
  }
  for (const name of Object.keys(request.environment ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new AwsInputError(
        `environment.${name}`,
        'is not a valid environment variable name (letters, digits and _, not starting with a digit)',
      );
    }
  }
}

/** The correlation id travels into ECS, Glue and dbt: it must be a short single token. */
export function checkCorrelationId(correlationId: string): void {
  if (!/^[A-Za-z0-9][\w.:-]{0,127}$/.test(correlationId)) {
    throw new AwsInputError(
      'correlationId',
      `"${correlationId}" must be 1–128 letters, digits, _ . : - (the flow run id, e.g. 20261126T010000Z-ab12cd)`,
    );
  }
}

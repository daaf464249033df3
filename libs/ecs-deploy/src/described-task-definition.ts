import { EcsDeployError } from './ecs-deploy-error';

/** The parts of `aws ecs describe-task-definition` output this lib reads. */
export interface DescribedTaskDefinition {
  readonly taskDefinition: Readonly<Record<string, unknown>> & {
    readonly family: string;
    readonly containerDefinitions: readonly Readonly<Record<string, unknown>>[];
  };
}

const HOW_TO_GET_ONE =
  'pipe the output of `aws ecs describe-task-definition --task-definition <family> --output json`';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `text` is a task definition description and returns it typed. The check is only as
 * deep as nextTaskRevision reads, so fields AWS adds later pass through untouched.
 */
export function parseDescribedTaskDefinition(text: string): DescribedTaskDefinition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const problem = text.trim() === '' ? 'the input is empty' : 'the input is not JSON';
    throw new EcsDeployError('invalid_description', `${problem}; ${HOW_TO_GET_ONE}`, {
      cause: error,
    });
  }
  const definition = isRecord(value) ? value['taskDefinition'] : undefined;
  if (!isRecord(definition)) {
    throw new EcsDeployError(
      'invalid_description',
      `the input has no "taskDefinition" object; ${HOW_TO_GET_ONE}`,
    );
  }
  const family = definition['family'];
  if (typeof family !== 'string' || family === '') {
    throw new EcsDeployError(
      'invalid_description',
      `taskDefinition.family is missing or not a string; ${HOW_TO_GET_ONE}`,
    );
  }
  const containers = definition['containerDefinitions'];
  if (!Array.isArray(containers) || !containers.every(isRecord)) {
    throw new EcsDeployError(
      'invalid_description',
      `taskDefinition.containerDefinitions of ${family} is not a list of objects; ${HOW_TO_GET_ONE}`,
    );
  }
  return { taskDefinition: { ...definition, family, containerDefinitions: containers } };
}

import type { DescribedTaskDefinition } from './described-task-definition';
import { EcsDeployError } from './ecs-deploy-error';

// Fields RegisterTaskDefinition accepts; the rest of the description (arn, revision, status,
// registeredAt, requiresAttributes, compatibilities…) is read-only and would be rejected.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
const REGISTERABLE = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
] as const;

/**
 * The input of `aws ecs register-task-definition` for the next revision of a family: the current
 * revision (roles, sizes, secrets, logging as infrastructure set them) with `container` running
 * `image`.
 *
 * The container's `command` is dropped: our images' ENTRYPOINT says what runs (the connector,
 * finks-worker), and ECS appends `command` to it, so a leftover command would become stray CLI
 * arguments; per-run flags come from the run's container overrides. Tags are not copied: tagging
 * on register needs ecs:TagResource, which the deploy role does not have.
 */
export function nextTaskRevision(
  described: DescribedTaskDefinition,
  container: string,
  image: string,
): Record<string, unknown> {
  if (container.trim() === '') {
    throw new EcsDeployError(
      'invalid_argument',
      'the container name is empty; pass the container of the task family whose image changes',
    );
  }
  if (image === '' || /\s/.test(image)) {
    throw new EcsDeployError(
      'invalid_argument',
      `image ${JSON.stringify(image)} is not an image reference; pass <registry>/<repository>:<tag>`,
    );
  }
  const current = described.taskDefinition;
  const names = current.containerDefinitions.map((definition) => String(definition['name']));
  if (!names.includes(container)) {
    throw new EcsDeployError(
      'missing_container',
      `task family ${current.family} has no container "${container}" (it has ${names.join(', ') || 'none'}); deploy infrastructure for this environment first`,
    );
  }
  const input: Record<string, unknown> = {};
  for (const field of REGISTERABLE) {
    if (current[field] !== undefined) input[field] = current[field];
  }
  input['containerDefinitions'] = current.containerDefinitions.map((definition) => {
    if (definition['name'] !== container) return definition;
    const { command: _command, ...rest } = definition;
    return { ...rest, image };
  });
  return input;
}

import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

// What ECS answers (through the provider) when a task family has no revision yet.
const NO_FAMILY = /unable to describe task definition|not found|couldn't find/i;

/** Whether a failed read of a task family says only that the family has no revision yet. */
export function isMissingTaskFamily(error: unknown): boolean {
  return NO_FAMILY.test(error instanceof Error ? error.message : String(error));
}

/**
 * The image the latest revision of `family` runs in `container`, when one exists and comes from
 * `repositoryUrl`; undefined before the family's first revision.
 *
 * Why: an app deploy (apps/<app>/deploy.sh) registers a new revision of its family with the image
 * it pushed. Task definitions are immutable, so when infrastructure later changes one (an env
 * var, a size) Pulumi registers yet another revision and points the service at it — built at
 * `<component>-<imageTag>`, that revision would roll the app back to the image it first had, or
 * to `bootstrap`, which may not exist. Starting from the deployed image keeps the app's release.
 * Any other error (a missing permission) fails the preview rather than roll anything back.
 */
export function deployedImage(
  family: string,
  container: string,
  repositoryUrl: pulumi.Input<string>,
  parent: pulumi.Resource,
): pulumi.Output<string | undefined> {
  const image = aws.ecs
    .getContainerDefinition({ taskDefinition: family, containerName: container }, { parent })
    .then(
      (found) => (found.image === '' ? undefined : found.image),
      (error: unknown) => {
        if (NO_FAMILY.test(error instanceof Error ? error.message : String(error)))
          return undefined;
        throw error;
      },
    );
  return pulumi.all([image, repositoryUrl]).apply(([found, repository]) => {
    if (found === undefined) return undefined;
    if (found.startsWith(`${repository}:`) || found.startsWith(`${repository}@`)) return found;
    void pulumi.log.warn(
      `task family ${family} runs ${found}, not an image of ${repository}; its next revision starts from the configured imageTag instead`,
      parent,
    );
    return undefined;
  });
}

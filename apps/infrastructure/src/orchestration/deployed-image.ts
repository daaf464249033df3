import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

// What ECS answers (through the provider) when a task family has no revision yet. Only that:
// a broader "not found" also matched other failures and rolled the app back without a word.
const NO_FAMILY = /unable to describe task definition|couldn't find resource/i;

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
  const image = aws.ecs.getTaskDefinition({ taskDefinition: family }, { parent }).then(
    (found) => imageOf(found.containerDefinitions, container),
    (error: unknown) => {
      if (isMissingTaskFamily(error)) return undefined;
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

/**
 * The image of `container` in a revision's container definitions (ECS's JSON), or of its only
 * container when it has one under another name: a container renamed in infrastructure still
 * runs the release its app deployed. Undefined when there is none to choose (no revision yet).
 */
export function imageOf(containerDefinitions: string, container: string): string | undefined {
  const parsed: unknown = containerDefinitions === '' ? [] : JSON.parse(containerDefinitions);
  const containers = (Array.isArray(parsed) ? parsed : []) as { name?: unknown; image?: unknown }[];
  const chosen =
    containers.find((definition) => definition.name === container) ??
    (containers.length === 1 ? containers[0] : undefined);
  return typeof chosen?.image === 'string' && chosen.image !== '' ? chosen.image : undefined;
}

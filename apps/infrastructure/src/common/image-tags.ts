import type { Workload } from './workloads';

/** Docker's limit on a tag's length. */
const MAX_TAG_LENGTH = 128;

/**
 * The tag a workload's task definition starts with: `<component>-<imageTag>`, the scheme app
 * deploys push with (apps/ingestion/deploy.sh tags `<connector>-<git sha>`). The component is in
 * the tag because several workloads share a repository (the three connectors share
 * `ingestion/connectors`); the other images follow the same rule so one scheme names them all.
 */
export function workloadImageTag(workload: Pick<Workload, 'component'>, imageTag: string): string {
  const tag = `${workload.component}-${imageTag}`;
  if (tag.length > MAX_TAG_LENGTH) {
    throw new Error(
      `image tag "${tag}" is ${tag.length} characters, over Docker's ${MAX_TAG_LENGTH}; shorten imageTag to at most ${MAX_TAG_LENGTH - workload.component.length - 1} characters`,
    );
  }
  return tag;
}

import { ecrRepositoryName, ecsTaskFamilyName } from '@finks/iam-names';
import type { Env } from '@finks/lake-paths';

/** The connectors `deploy.sh` ships; each has `docker/<name>.Dockerfile` and an ECS task family. */
export const CONNECTORS = ['fmp', 'mongodb', 'news-stream'] as const;
export type Connector = (typeof CONNECTORS)[number];

export interface DeployTarget {
  readonly connector: Connector;
  readonly dockerfile: string;
  /** ECR repository (without registry host); infrastructure creates it. */
  readonly repository: string;
  /** `<connector>-<git sha>`: the three images share the `connectors` repository. */
  readonly tag: string;
  /** ECS task definition family; infrastructure registers the first revision. */
  readonly family: string;
  /** The container of that family whose image is replaced (infrastructure names it so). */
  readonly container: string;
}

/**
 * What to build, push and register per connector. Infrastructure declares one `connectors`
 * repository for the app (apps/infrastructure/src/common/workloads.ts), so the connector is in
 * the tag rather than in the repository name.
 */
export function deployTargets(env: Exclude<Env, 'local'>, gitSha: string): DeployTarget[] {
  if (!/^[0-9a-f]{7,40}$/.test(gitSha)) {
    throw new Error(`"${gitSha}" is not a git commit SHA; pass the output of git rev-parse HEAD`);
  }
  const repository = ecrRepositoryName({ app: 'ingestion', env, component: 'connectors' });
  return CONNECTORS.map((connector) => ({
    connector,
    dockerfile: `apps/ingestion/docker/${connector}.Dockerfile`,
    repository,
    tag: `${connector}-${gitSha}`,
    family: ecsTaskFamilyName({ app: 'ingestion', env, component: connector }),
    container: connector,
  }));
}

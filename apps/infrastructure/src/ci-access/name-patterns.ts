import {
  ecrRepositoryName,
  glueDatabaseName,
  iamRoleName,
  logGroupName,
  secretName,
  type App,
} from '@finks/iam-names';
import type { AwsEnv } from '../common/aws-env';

// @finks/iam-names builds whole names; IAM policies need the part every name of an environment
// shares, followed by `*`. These patterns are derived from the library's own output (a name for
// a placeholder, cut where the varying part starts), so a change of format there changes them
// here too. Written locally because the library has no pattern helper yet.
const PLACEHOLDER = 'placeholder';

function cutAt(name: string, varying: string): string {
  const at = name.indexOf(varying);
  if (at <= 0) {
    throw new Error(`name pattern: "${varying}" not found in "${name}"; @finks/iam-names changed`);
  }
  return `${name.slice(0, at)}*`;
}

/** IAM wildcard patterns matching every name of one environment, per naming scheme. */
export interface EnvNamePatterns {
  /** `finks-<env>-*`: roles, policies, ECS, Glue jobs, Athena workgroups, SNS, alarms, Lambda. */
  readonly flat: string;
  /** `finks/<env>/*`: ECR repositories. */
  readonly ecrRepository: string;
  /** `/finks/<env>/*`: CloudWatch log groups. */
  readonly logGroup: string;
  /** `finks/<env>/*`: Secrets Manager secrets. */
  readonly secret: string;
  /** `finks_<env>_*`: Glue databases. */
  readonly glueDatabase: string;
}

export function envNamePatterns(env: AwsEnv): EnvNamePatterns {
  const input = { app: 'infrastructure', env, component: PLACEHOLDER } as const;
  return {
    flat: cutAt(iamRoleName(input), input.app),
    ecrRepository: cutAt(ecrRepositoryName(input), input.app),
    logGroup: cutAt(logGroupName(input), input.app),
    secret: cutAt(secretName({ env, name: PLACEHOLDER }), PLACEHOLDER),
    glueDatabase: cutAt(glueDatabaseName({ env, zone: 'bronze' }), 'bronze'),
  };
}

/** `finks-<env>-<app>-*`: every flat name (roles, services, Glue jobs) one app owns. */
export function appNamePattern(app: App, env: AwsEnv): string {
  return cutAt(iamRoleName({ app, env, component: PLACEHOLDER }), PLACEHOLDER);
}

/** `finks/<env>/<app>/*`: the ECR repositories of one app. */
export function appRepositoryPattern(app: App, env: AwsEnv): string {
  return cutAt(ecrRepositoryName({ app, env, component: PLACEHOLDER }), PLACEHOLDER);
}

import type { AwsEnv } from '../common/aws-env';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * The GitHub Actions subject a deploy role trusts: a job of this repository running in the
 * GitHub environment named after the stack. Environments carry their own protection rules
 * (required reviewers for prod), which a branch condition alone cannot express.
 */
export function deploySubject(githubRepository: string, env: AwsEnv): string {
  return `repo:${githubRepository}:environment:${env}`;
}

/**
 * The subject a preview role trusts: a pull-request workflow of this repository. GitHub gives
 * every pull_request run this subject (whatever the branch), so the roles behind it are read-only.
 */
export function previewSubject(githubRepository: string): string {
  return `repo:${githubRepository}:pull_request`;
}

/** The trust policy of a role assumed by GitHub Actions with OIDC, for one subject only. */
export function githubTrustPolicy(providerArn: string, subject: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
            [`${GITHUB_OIDC_HOST}:sub`]: subject,
          },
        },
      },
    ],
  };
}

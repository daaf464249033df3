import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { APPS, iamPolicyName, iamRoleName, type App } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { policyDocument } from '../common/policy-document';
import type { Tags } from '../common/tags';
import { GITHUB_OIDC_HOST, deployStatements, deploySubject } from './deploy-permissions';

export interface CiAccessArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly githubRepository: string;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Bucket holding Pulumi state, when the state lives in S3 (`pulumi login s3://…`). */
  readonly stateBucket?: string;
  readonly tags: Tags;
}

export function deployRoleName(app: App, env: AwsEnv): string {
  return iamRoleName({ app, env, component: 'deploy' });
}

/**
 * The GitHub OIDC provider and one deploy role per app. Each role is trusted only for this
 * repository in the environment's GitHub environment, and allowed only what its deploy does.
 */
export class CiAccess extends pulumi.ComponentResource {
  readonly providerArn: pulumi.Output<string>;
  readonly deployRoleArns: Readonly<Record<App, pulumi.Output<string>>>;

  constructor(name: string, args: CiAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:security:CiAccess', name, {}, opts);
    if (!/^[\w.-]+\/[\w.-]+$/.test(args.githubRepository)) {
      throw new Error(
        `CiAccess ${name}: githubRepository must be owner/name, got "${args.githubRepository}"`,
      );
    }
    const provider = new aws.iam.OpenIdConnectProvider(
      `${name}-github-oidc`,
      {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdLists: ['sts.amazonaws.com'],
        tags: args.tags,
      },
      { parent: this },
    );
    this.providerArn = provider.arn;

    const roles = {} as Record<App, pulumi.Output<string>>;
    for (const app of APPS) {
      const role = new aws.iam.Role(
        `${name}-${app}-deploy`,
        {
          name: deployRoleName(app, args.env),
          description: `GitHub Actions deploys ${app} to ${args.env}`,
          maxSessionDuration: 3600,
          assumeRolePolicy: pulumi.jsonStringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: provider.arn },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringEquals: {
                    [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
                    [`${GITHUB_OIDC_HOST}:sub`]: deploySubject(args.githubRepository, args.env),
                  },
                },
              },
            ],
          }),
          tags: { ...args.tags, app },
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(
        `${name}-${app}-deploy-policy`,
        {
          name: iamPolicyName({ app, env: args.env, component: 'deploy' }),
          role: role.id,
          policy: pulumi
            .output(args.kmsKeyArn)
            .apply((kmsKeyArn) => policyDocument(deployStatements(app, { ...args, kmsKeyArn }))),
        },
        { parent: this },
      );
      roles[app] = role.arn;
    }
    this.deployRoleArns = roles;
    this.registerOutputs({ providerArn: this.providerArn, deployRoleArns: roles });
  }
}

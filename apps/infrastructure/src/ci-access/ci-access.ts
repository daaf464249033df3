import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { APPS, iamPolicyName, iamRoleName, type App } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { policyDocument, type Statement } from '../common/policy-document';
import type { Tags } from '../common/tags';
import type { DeployContext } from './deploy-context';
import { deployStatements } from './deploy-permissions';
import { GITHUB_OIDC_HOST, deploySubject, githubTrustPolicy, previewSubject } from './github-oidc';
import { previewStatements } from './preview-permissions';

export interface CiAccessArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  /** `owner/name`; required stack setting `githubRepository`. */
  readonly githubRepository: string;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly accessLogBucket: string;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The PermissionsBoundary policy; every role here carries it. */
  readonly permissionsBoundary: pulumi.Input<string>;
  /** Bucket holding Pulumi state, when the state lives in S3 (`pulumi login s3://…`). */
  readonly stateBucket?: string;
  readonly tags: Tags;
}

export function deployRoleName(app: App, env: AwsEnv): string {
  return iamRoleName({ app, env, component: 'deploy' });
}

export function previewRoleName(app: App, env: AwsEnv): string {
  return iamRoleName({ app, env, component: 'preview' });
}

type RoleKind = 'deploy' | 'preview';

/**
 * The GitHub OIDC provider, and two roles per app: a deploy role trusted only for this repository
 * in the environment's GitHub environment, allowed only what its deploy does; and a preview role
 * trusted only for this repository's pull-request workflows, allowed only to read.
 */
export class CiAccess extends pulumi.ComponentResource {
  readonly providerArn: pulumi.Output<string>;
  readonly deployRoleArns: Readonly<Record<App, pulumi.Output<string>>>;
  readonly previewRoleArns: Readonly<Record<App, pulumi.Output<string>>>;

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

    const role = (app: App, kind: RoleKind): pulumi.Output<string> => {
      const subject =
        kind === 'deploy'
          ? deploySubject(args.githubRepository, args.env)
          : previewSubject(args.githubRepository);
      const statements = (context: DeployContext): Statement[] =>
        kind === 'deploy' ? deployStatements(app, context) : previewStatements(app, context);
      const created = new aws.iam.Role(
        `${name}-${app}-${kind}`,
        {
          name: kind === 'deploy' ? deployRoleName(app, args.env) : previewRoleName(app, args.env),
          description:
            kind === 'deploy'
              ? `GitHub Actions deploys ${app} to ${args.env}`
              : `GitHub pull requests preview ${app} against ${args.env} (read-only)`,
          maxSessionDuration: 3600,
          assumeRolePolicy: provider.arn.apply((arn) =>
            JSON.stringify(githubTrustPolicy(arn, subject)),
          ),
          permissionsBoundary: args.permissionsBoundary,
          tags: { ...args.tags, app },
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(
        `${name}-${app}-${kind}-policy`,
        {
          name: iamPolicyName({ app, env: args.env, component: kind }),
          role: created.id,
          policy: pulumi
            .output(args.kmsKeyArn)
            .apply((kmsKeyArn) => policyDocument(statements({ ...args, kmsKeyArn }))),
        },
        { parent: this },
      );
      return created.arn;
    };

    const deployRoles = {} as Record<App, pulumi.Output<string>>;
    const previewRoles = {} as Record<App, pulumi.Output<string>>;
    for (const app of APPS) {
      deployRoles[app] = role(app, 'deploy');
      previewRoles[app] = role(app, 'preview');
    }
    this.deployRoleArns = deployRoles;
    this.previewRoleArns = previewRoles;
    this.registerOutputs({
      providerArn: this.providerArn,
      deployRoleArns: deployRoles,
      previewRoleArns: previewRoles,
    });
  }
}

import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AwsEnv } from '../common/aws-env';
import type { Tags } from '../common/tags';
import { boundaryStatements } from './boundary-statements';
import { permissionsBoundaryName } from './deploy-context';

export interface PermissionsBoundaryArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly tags: Tags;
}

/**
 * The managed policy set as the permissions boundary of every role the program creates. Declared
 * first, so the roles can name it. The CI deploy role may read it but not change it: a change to
 * `boundaryStatements` is deployed once with an administrator's credentials.
 */
export class PermissionsBoundary extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly policyName: string;

  constructor(name: string, args: PermissionsBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:security:PermissionsBoundary', name, {}, opts);
    this.policyName = permissionsBoundaryName(args.env);
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        name: this.policyName,
        description: `Ceiling of every Finks ${args.env} role: platform services, project IAM, ${args.region}`,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: boundaryStatements(args) }),
        tags: args.tags,
      },
      { parent: this },
    );
    this.arn = policy.arn;
    this.registerOutputs({ arn: this.arn, policyName: this.policyName });
  }
}

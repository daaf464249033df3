import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { FinksConfig } from '@finks/config';
import { secretName } from '@finks/iam-names';
import type { AwsEnv } from '../common/aws-env';
import type { Tags } from '../common/tags';
import type { SecretKey } from '../common/workloads';

export interface SecretsArgs {
  readonly env: AwsEnv;
  readonly config: FinksConfig;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly tags: Tags;
}

/** The secret names; the ones tasks read come from config/<env>.yaml, the rest from @finks/iam-names. */
export function secretNames(env: AwsEnv, config: FinksConfig): Record<SecretKey, string> {
  return {
    fmpApiKey: config.secretNames.fmpApiKey,
    mongodbUri: config.secretNames.mongodbUri,
    prefectAuth: secretName({ env, name: 'prefect-auth' }),
    slackWebhook:
      config.alerts.slackWebhookSecretName ?? secretName({ env, name: 'slack-alerts-webhook' }),
  };
}

/**
 * The Secrets Manager secrets, without values: the program declares the containers and their
 * encryption, and an operator puts each value with `aws secretsmanager put-secret-value`, so no
 * secret ever passes through code, config or Pulumi state.
 */
export class Secrets extends pulumi.ComponentResource {
  readonly secretArns: Readonly<Record<SecretKey, pulumi.Output<string>>>;
  readonly names: Readonly<Record<SecretKey, string>>;

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:security:Secrets', name, {}, opts);
    this.names = secretNames(args.env, args.config);
    const descriptions: Record<SecretKey, string> = {
      fmpApiKey: 'Financial Modeling Prep API key (ingestion)',
      mongodbUri: 'MongoDB connection URI of the portfolio application (ingestion)',
      prefectAuth: 'Prefect API auth string shared by the Prefect server and worker',
      slackWebhook: 'Slack incoming-webhook URL for alerts',
    };
    const arns = {} as Record<SecretKey, pulumi.Output<string>>;
    for (const key of Object.keys(this.names) as SecretKey[]) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${key}`,
        {
          name: this.names[key],
          description: descriptions[key],
          kmsKeyId: args.kmsKeyArn,
          recoveryWindowInDays: args.env === 'prod' ? 30 : 7,
          tags: args.tags,
        },
        { parent: this },
      );
      arns[key] = secret.arn;
    }
    this.secretArns = arns;
    this.registerOutputs({ secretArns: arns });
  }
}

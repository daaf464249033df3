import type { Zone } from '@finks/lake-paths';
import type { AccountRef } from '../common/arns';
import type { AwsEnv } from '../common/aws-env';

/** What the task role policies are written from: names known before deploy, ARNs resolved. */
export interface PermissionContext extends AccountRef {
  readonly env: AwsEnv;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly kmsKeyArn: string;
  readonly glueJobNames: readonly string[];
  /** The analytics workgroup (the API, analysts). */
  readonly athenaWorkgroup: string;
  /** dbt-runner's own workgroup, the one its FINKS_ATHENA_WORKGROUP names. */
  readonly dbtAthenaWorkgroup: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  /** Families, role ARNs and log groups of the on-demand tasks the worker's flows start. */
  readonly runnableTaskFamilies: readonly string[];
  readonly passableRoleArns: readonly string[];
  readonly runnableLogGroups: readonly string[];
  /** The Slack webhook secret the worker's flows notify through. */
  readonly slackWebhookSecretArn: string;
  /** Absent when config/<env>.yaml has `alerts.snsTopic: false`. */
  readonly alertTopicArn?: string;
}

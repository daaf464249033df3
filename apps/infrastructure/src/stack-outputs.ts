import type * as pulumi from '@pulumi/pulumi';
import type { App } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from './common/aws-env';

type Out<T> = T | pulumi.Output<T>;

/**
 * The stack outputs (`pulumi stack output --json --stack <env>`). Apps do not import this
 * program (apps never import apps): every name below can be computed from @finks/lake-paths and
 * @finks/iam-names with the env and account id from @finks/config — see the README's table,
 * which tests/stack-outputs.test.ts keeps true. Only IDs AWS assigns (VPC, subnets, ARNs with
 * random parts, URLs) need the outputs.
 */
export interface StackOutputs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: Out<string>;
  readonly privateSubnetIds: Out<string[]>;
  readonly workloadSecurityGroupId: Out<string>;
  readonly lakeKmsKeyArn: Out<string>;
  readonly bucketNames: Readonly<Record<Zone, string>>;
  readonly glueDatabaseNames: Readonly<Record<'bronze' | 'silver' | 'gold' | 'quarantine', string>>;
  readonly glueJobNames: readonly string[];
  /** The analytics workgroup (the API, analysts). */
  readonly athenaWorkgroup: string;
  /** The workgroup dbt-runner queries through. */
  readonly dbtAthenaWorkgroup: string;
  /** The Glue database dbt builds the snapshots in. */
  readonly glueSnapshotsDatabaseName: string;
  readonly ecsClusterName: string;
  readonly taskDefinitionArns: Out<Record<string, string>>;
  readonly prefectApiUrl: Out<string>;
  readonly repositoryUrls: Out<Record<string, string>>;
  readonly secretNames: Readonly<Record<string, string>>;
  /** Absent when `alerts.snsTopic` is false in config/<env>.yaml. */
  readonly alertTopicArn?: Out<string>;
  readonly deployRoleArns: Out<Record<App, string>>;
  /** Read-only roles for pull requests: the `AWS_PREVIEW_ROLE_<APP>` repository variables. */
  readonly previewRoleArns: Out<Record<App, string>>;
  /** The boundary every role of the program carries. */
  readonly permissionsBoundaryArn: Out<string>;
  readonly apiUrl?: Out<string>;
}

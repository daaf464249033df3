import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { RetentionConfig } from '@finks/config';
import { ZONES, bucketName, type Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { policyDocument } from '../common/policy-document';
import type { Tags } from '../common/tags';

export interface DataLakeArgs {
  readonly env: AwsEnv;
  readonly accountId: string;
  readonly region: string;
  readonly retention: RetentionConfig;
  readonly tags: Tags;
}

/**
 * Server access logs go to their own bucket: S3 delivers them only to a bucket encrypted with
 * SSE-S3 (not SSE-KMS), and never into the bucket being logged. @finks/lake-paths names only the
 * lake zones, so this one name is built here, in the same `finks-<env>-<purpose>-<account>` shape.
 */
export function accessLogBucketName(env: AwsEnv, accountId: string): string {
  return `finks-${env}-access-logs-${accountId}`;
}

/**
 * One bucket per lake zone, encrypted with a customer-managed KMS key, versioned, private,
 * TLS-only, with lifecycle rules from the environment's retention settings and access logging.
 */
export class DataLake extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly buckets: Readonly<Record<Zone, aws.s3.Bucket>>;
  readonly bucketNames: Readonly<Record<Zone, string>>;
  readonly accessLogBucket: aws.s3.Bucket;

  constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:data:DataLake', name, {}, opts);
    const { env, accountId, region, retention, tags } = args;
    const forceDestroy = env === 'dev';

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `finks ${env}: lake buckets, secrets, logs and Athena results`,
        enableKeyRotation: true,
        deletionWindowInDays: env === 'prod' ? 30 : 7,
        policy: kmsKeyPolicy(accountId, region),
        tags,
      },
      { parent: this },
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/finks-${env}-data`, targetKeyId: this.key.keyId },
      { parent: this },
    );

    const logBucketName = accessLogBucketName(env, accountId);
    this.accessLogBucket = new aws.s3.Bucket(
      `${name}-access-logs`,
      { bucket: logBucketName, forceDestroy, tags },
      { parent: this },
    );
    this.secureBucket(`${name}-access-logs`, this.accessLogBucket, {
      sse: { sseAlgorithm: 'AES256' },
      rules: [
        { id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: 365 } },
        noncurrentRule(retention),
      ],
      denyUnencryptedPuts: undefined,
    });
    new aws.s3.BucketPolicy(
      `${name}-access-logs-policy`,
      {
        bucket: this.accessLogBucket.bucket,
        policy: policyDocument([
          tlsOnly(this.accessLogBucket.arn),
          {
            Sid: 'S3ServerAccessLogsDelivery',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: pulumi.interpolate`${this.accessLogBucket.arn}/*`,
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ]),
      },
      { parent: this },
    );

    const buckets = {} as Record<Zone, aws.s3.Bucket>;
    const names = {} as Record<Zone, string>;
    for (const zone of ZONES) {
      const bucket = bucketName({ env, zone, accountId });
      const resourceName = `${name}-${zone}`;
      const resource = new aws.s3.Bucket(
        resourceName,
        { bucket, forceDestroy, tags: { ...tags, zone } },
        { parent: this },
      );
      this.secureBucket(resourceName, resource, {
        sse: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn },
        rules: lifecycleRules(zone, retention),
        denyUnencryptedPuts: this.key.arn,
      });
      new aws.s3.BucketLogging(
        `${resourceName}-logging`,
        {
          bucket: resource.bucket,
          targetBucket: this.accessLogBucket.bucket,
          targetPrefix: `${bucket}/`,
        },
        { parent: this },
      );
      buckets[zone] = resource;
      names[zone] = bucket;
    }
    this.buckets = buckets;
    this.bucketNames = names;

    this.registerOutputs({
      keyArn: this.key.arn,
      bucketNames: this.bucketNames,
      accessLogBucket: this.accessLogBucket.bucket,
    });
  }

  private secureBucket(
    resourceName: string,
    bucket: aws.s3.Bucket,
    settings: {
      sse: aws.types.input.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault;
      rules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
      denyUnencryptedPuts: pulumi.Input<string> | undefined;
    },
  ): void {
    new aws.s3.BucketPublicAccessBlock(
      `${resourceName}-public-access`,
      {
        bucket: bucket.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent: this },
    );
    new aws.s3.BucketOwnershipControls(
      `${resourceName}-ownership`,
      { bucket: bucket.bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${resourceName}-encryption`,
      {
        bucket: bucket.bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: settings.sse,
            bucketKeyEnabled: settings.sse.sseAlgorithm === 'aws:kms',
          },
        ],
      },
      { parent: this },
    );
    new aws.s3.BucketVersioning(
      `${resourceName}-versioning`,
      { bucket: bucket.bucket, versioningConfiguration: { status: 'Enabled' } },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${resourceName}-lifecycle`,
      { bucket: bucket.bucket, rules: settings.rules },
      { parent: this },
    );
    if (settings.denyUnencryptedPuts !== undefined) {
      const keyArn = settings.denyUnencryptedPuts;
      new aws.s3.BucketPolicy(
        `${resourceName}-policy`,
        {
          bucket: bucket.bucket,
          policy: policyDocument([
            tlsOnly(bucket.arn),
            {
              // Puts without the header get the bucket's default KMS encryption; a put that asks
              // for anything else (SSE-S3, another key) is refused.
              Sid: 'DenyPutsNotEncryptedWithLakeKey',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:PutObject',
              Resource: pulumi.interpolate`${bucket.arn}/*`,
              Condition: {
                StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' },
              },
            },
            {
              Sid: 'DenyPutsWithAnotherKmsKey',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:PutObject',
              Resource: pulumi.interpolate`${bucket.arn}/*`,
              Condition: {
                StringNotEqualsIfExists: {
                  's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
                },
              },
            },
          ]),
        },
        { parent: this },
      );
    }
  }
}

function tlsOnly(bucketArn: pulumi.Input<string>) {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny' as const,
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

function noncurrentRule(
  retention: RetentionConfig,
): aws.types.input.s3.BucketLifecycleConfigurationRule {
  return {
    id: 'expire-noncurrent-versions',
    status: 'Enabled',
    filter: {},
    noncurrentVersionExpiration: { noncurrentDays: retention.noncurrentVersionExpirationDays },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
  };
}

/**
 * Bronze ages to Standard-IA then Glacier Instant Retrieval; quarantine and Athena scratch space
 * expire. Instant Retrieval, not Glacier Flexible Retrieval: GetObject reads it as it reads
 * Standard, while a Flexible Retrieval object answers InvalidObjectState until restored, and
 * rebuilding silver from every bronze date (`batches: rebuild`) or validating old dates must
 * read bronze of any age.
 */
export function lifecycleRules(
  zone: Zone,
  retention: RetentionConfig,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const rules = [noncurrentRule(retention)];
  if (zone === 'bronze') {
    rules.push({
      id: 'bronze-tiering',
      status: 'Enabled',
      filter: {},
      transitions: [
        { days: retention.bronzeInfrequentAccessDays, storageClass: 'STANDARD_IA' },
        { days: retention.bronzeGlacierDays, storageClass: 'GLACIER_IR' },
      ],
    });
  }
  if (zone === 'quarantine') {
    rules.push({
      id: 'quarantine-expiry',
      status: 'Enabled',
      filter: {},
      expiration: { days: retention.quarantineExpirationDays },
    });
  }
  if (zone === 'athena-results') {
    rules.push({
      id: 'athena-results-expiry',
      status: 'Enabled',
      filter: {},
      expiration: { days: 30 },
    });
  }
  return rules;
}

/**
 * Account administrators manage the key; services in the account use it through IAM and grants.
 * The service principals below act for any account, so each statement confines them to this
 * account's resources (confused-deputy prevention).
 */
function kmsKeyPolicy(accountId: string, region: string): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: 'AccountAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'CloudWatchLogsUse',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: [
        'kms:Encrypt*',
        'kms:Decrypt*',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:Describe*',
      ],
      Resource: '*',
      // CloudWatch Logs names the log group in the encryption context: only this account's
      // log groups in this region.
      Condition: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:*` },
      },
    },
    {
      Sid: 'AlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    {
      // The failed-task rule (Monitoring) publishes to the same encrypted topic.
      Sid: 'EventsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ]);
}

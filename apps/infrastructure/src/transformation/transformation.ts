import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { renderContractsJson, type DatasetContract } from '@finks/contracts';
import {
  athenaWorkgroupName,
  glueDatabaseName,
  glueJobName,
  glueSnapshotsDatabaseName,
  iamPolicyName,
  iamRoleName,
} from '@finks/iam-names';
import {
  DRIFT_REPORTS_PREFIX,
  GLUE_SCRIPTS_PREFIX,
  glueContractsKey,
  glueScriptKey,
  type Zone,
} from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { dbtAthenaWorkgroupName } from '../common/dbt-workgroup';
import {
  bucketArn,
  glueCatalogArn,
  glueJobArn,
  glueDatabaseArn,
  glueTablesArn,
  objectsArn,
} from '../common/arns';
import { assumeRolePolicy, policyDocument } from '../common/policy-document';
import type { Tags } from '../common/tags';
import type { GlueScript, GlueScriptModule } from '../stack/stack-settings';
import { glueJobArguments } from './glue-job-arguments';
import { bronzeTable, silverTable, type GlueTableSpec } from './glue-tables';

export interface TransformationArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly glueScriptsDir: string;
  readonly scripts: readonly GlueScript[];
  /** Python modules the scripts import, in glueScriptsDir too; each job gets them as --extra-py-files. */
  readonly scriptModules: readonly GlueScriptModule[];
  /** Tables and the jobs' contracts.json come from these; one Glue run per dataset at a time. */
  readonly contracts: readonly DatasetContract[];
  /** Permissions boundary of every role here (the PermissionsBoundary policy's ARN). */
  readonly permissionsBoundary: pulumi.Input<string>;
  readonly tags: Tags;
}

/** Zones that hold tables; artifacts and athena-results hold no data of ours. */
export const CATALOG_ZONES = [
  'bronze',
  'silver',
  'gold',
  'quarantine',
] as const satisfies readonly Zone[];

/** Athena's per-query scan cutoff: a runaway query costs at most this much. */
export function bytesScannedCutoff(env: AwsEnv): number {
  const gib = 1024 ** 3;
  return env === 'prod' ? 200 * gib : 20 * gib;
}

export function glueJobNameFor(env: AwsEnv, script: GlueScript): string {
  return glueJobName({ app: 'pipelines', env, component: script.replaceAll('_', '-') });
}

/**
 * The Glue catalog (a database per zone, bronze and silver tables generated from the contracts,
 * and the database dbt builds its snapshots in), the Glue 5.0 jobs whose scripts are uploaded
 * from apps/pipelines/glue_scripts, and the Athena workgroups: the analytics one (the API,
 * analysts) and dbt-runner's.
 */
export class Transformation extends pulumi.ComponentResource {
  readonly databaseNames: Readonly<Record<(typeof CATALOG_ZONES)[number], string>>;
  /** Where dbt builds `schema: snapshots` nodes (see glueSnapshotsDatabaseName). */
  readonly snapshotsDatabaseName: string;
  readonly jobNames: readonly string[];
  /** The analytics workgroup: the API and analysts. */
  readonly workgroupName: string;
  /** dbt-runner's workgroup, the one its FINKS_ATHENA_WORKGROUP names. */
  readonly dbtWorkgroupName: string;
  readonly tableNames: readonly string[];

  constructor(name: string, args: TransformationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:data:Transformation', name, {}, opts);
    const { env, buckets, tags } = args;
    const account = { region: args.region, accountId: args.accountId };
    if (args.contracts.length === 0) {
      throw new Error(
        `Transformation ${name}: no contracts given; the catalog is generated from @finks/contracts`,
      );
    }

    const databases = {} as Record<(typeof CATALOG_ZONES)[number], aws.glue.CatalogDatabase>;
    const databaseNames = {} as Record<(typeof CATALOG_ZONES)[number], string>;
    for (const zone of CATALOG_ZONES) {
      const databaseName = glueDatabaseName({ env, zone });
      databaseNames[zone] = databaseName;
      databases[zone] = new aws.glue.CatalogDatabase(
        `${name}-${zone}-db`,
        {
          name: databaseName,
          description: `finks ${env} ${zone} zone`,
          locationUri: `s3://${buckets[zone]}/`,
          tags,
        },
        { parent: this },
      );
    }
    this.databaseNames = databaseNames;

    // dbt creates no schema that exists already, so its task role needs no glue:CreateDatabase.
    // Its tables live where dbt-athena puts them: under s3_data_dir, `s3://<gold>/dbt/<schema>/`.
    this.snapshotsDatabaseName = glueSnapshotsDatabaseName({ env });
    new aws.glue.CatalogDatabase(
      `${name}-gold-snapshots-db`,
      {
        name: this.snapshotsDatabaseName,
        description: `finks ${env} gold zone: dbt snapshots (SCD type 2 history)`,
        locationUri: `s3://${buckets.gold}/dbt/${this.snapshotsDatabaseName}/`,
        tags,
      },
      { parent: this },
    );

    const tableNames: string[] = [];
    for (const contract of args.contracts) {
      const specs: [Zone & ('bronze' | 'silver'), GlueTableSpec][] = [
        ['bronze', bronzeTable(contract, buckets.bronze)],
        ['silver', silverTable(contract, buckets.silver)],
      ];
      for (const [zone, spec] of specs) {
        tableNames.push(`${databaseNames[zone]}.${spec.name}`);
        new aws.glue.CatalogTable(
          `${name}-${zone}-${spec.name}`,
          catalogTableArgs(spec, databases[zone].name),
          { parent: this },
        );
      }
    }
    this.tableNames = tableNames;

    const securityConfiguration = new aws.glue.SecurityConfiguration(
      `${name}-glue-security`,
      {
        // @finks/iam-names has no rule for Glue security configurations; same flat shape.
        name: `finks-${env}-pipelines-glue`,
        encryptionConfiguration: {
          s3Encryption: { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: args.kmsKeyArn },
          cloudwatchEncryption: { cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: args.kmsKeyArn },
          jobBookmarksEncryption: {
            jobBookmarksEncryptionMode: 'CSE-KMS',
            kmsKeyArn: args.kmsKeyArn,
          },
        },
      },
      { parent: this },
    );

    const roleName = iamRoleName({ app: 'pipelines', env, component: 'glue-jobs' });
    const role = new aws.iam.Role(
      `${name}-glue-role`,
      {
        name: roleName,
        assumeRolePolicy: assumeRolePolicy('glue.amazonaws.com'),
        permissionsBoundary: args.permissionsBoundary,
        tags,
      },
      { parent: this },
    );
    const catalogDatabases = [databaseNames.bronze, databaseNames.silver, databaseNames.quarantine];
    new aws.iam.RolePolicy(
      `${name}-glue-policy`,
      {
        name: iamPolicyName({ app: 'pipelines', env, component: 'glue-jobs' }),
        role: role.id,
        policy: policyDocument([
          {
            Sid: 'ReadBronzeAndScripts',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: [
              bucketArn(buckets.bronze),
              objectsArn(buckets.bronze),
              bucketArn(buckets.artifacts),
              objectsArn(buckets.artifacts, GLUE_SCRIPTS_PREFIX),
            ],
          },
          {
            Sid: 'WriteSilverAndQuarantine',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
            Resource: [
              bucketArn(buckets.silver),
              objectsArn(buckets.silver),
              bucketArn(buckets.quarantine),
              objectsArn(buckets.quarantine),
              objectsArn(buckets.artifacts, 'glue-temp/'),
            ],
          },
          {
            // validate_schemas.py's --report (transformation-validate-schemas reads it back).
            Sid: 'WriteDriftReports',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: objectsArn(buckets.artifacts, DRIFT_REPORTS_PREFIX),
          },
          {
            Sid: 'UseCatalog',
            Effect: 'Allow',
            Action: [
              'glue:GetDatabase',
              'glue:GetTable',
              'glue:GetTables',
              'glue:GetPartition',
              'glue:GetPartitions',
              'glue:BatchCreatePartition',
              'glue:CreatePartition',
              'glue:UpdateTable',
            ],
            Resource: [
              glueCatalogArn(account),
              ...catalogDatabases.map((database) => glueDatabaseArn(account, database)),
              ...catalogDatabases.map((database) => glueTablesArn(account, database)),
            ],
          },
          {
            // silver_lock.py: a run waiting for a dataset's lock asks whether the Glue run holding
            // it is still active, and takes the lock over when it is not.
            Sid: 'SeeJobRuns',
            Effect: 'Allow',
            Action: 'glue:GetJobRun',
            Resource: args.scripts.map((script) =>
              glueJobArn(account, glueJobNameFor(env, script)),
            ),
          },
          {
            Sid: 'UseLakeKey',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'],
            Resource: args.kmsKeyArn,
          },
          {
            Sid: 'WriteJobLogs',
            Effect: 'Allow',
            Action: [
              'logs:CreateLogGroup',
              'logs:CreateLogStream',
              'logs:PutLogEvents',
              'logs:AssociateKmsKey',
            ],
            Resource: `arn:aws:logs:${args.region}:${args.accountId}:log-group:/aws-glue/*`,
          },
          {
            Sid: 'PublishJobMetrics',
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
          },
        ]),
      },
      { parent: this },
    );

    const artifact = (resourceName: string, key: string, source: pulumi.asset.Asset) =>
      new aws.s3.BucketObjectv2(
        resourceName,
        {
          bucket: buckets.artifacts,
          key,
          source,
          contentType: key.endsWith('.json') ? 'application/json' : 'text/x-python',
          serverSideEncryption: 'aws:kms',
          kmsKeyId: args.kmsKeyArn,
        },
        { parent: this },
      );
    const pythonFile = (file: string) =>
      new pulumi.asset.FileAsset(join(args.glueScriptsDir, `${file}.py`));
    // Rendered from the same contracts as the tables above, so the jobs and the catalog cannot
    // disagree; byte-for-byte libs/contracts/generated/contracts.json (`contracts:check-generated`).
    const contractsObject = artifact(
      `${name}-contracts`,
      glueContractsKey(),
      new pulumi.asset.StringAsset(renderContractsJson(args.contracts)),
    );
    const moduleObjects = args.scriptModules.map((module) =>
      artifact(`${name}-${module}-module`, glueScriptKey({ script: module }), pythonFile(module)),
    );

    const jobNames: string[] = [];
    for (const script of args.scripts) {
      const object = artifact(
        `${name}-${script}-script`,
        glueScriptKey({ script }),
        pythonFile(script),
      );
      const jobName = glueJobNameFor(env, script);
      jobNames.push(jobName);
      new aws.glue.Job(
        `${name}-${script}-job`,
        {
          name: jobName,
          roleArn: role.arn,
          glueVersion: '5.0',
          workerType: 'G.1X',
          numberOfWorkers: env === 'prod' ? 4 : 2,
          timeout: 60,
          maxRetries: 1,
          // The flows start one run per dataset in parallel; each run touches only its dataset's
          // partitions, so runs of different datasets never collide.
          executionProperty: { maxConcurrentRuns: args.contracts.length },
          securityConfiguration: securityConfiguration.name,
          command: {
            name: 'glueetl',
            pythonVersion: '3',
            scriptLocation: pulumi.interpolate`s3://${object.bucket}/${object.key}`,
          },
          defaultArguments: {
            '--job-language': 'python',
            // Off: a run reads the bronze partitions it is given, through their manifests, with
            // boto3, and replaces the silver partitions it touches — idempotent without Glue's
            // bookmarks, which track only DynamicFrame sources and would record nothing here
            // (and AWS advises against them with concurrent runs, which these jobs allow).
            '--job-bookmark-option': 'job-bookmark-disable',
            '--enable-metrics': 'true',
            '--enable-observability-metrics': 'true',
            '--enable-continuous-cloudwatch-log': 'true',
            '--enable-glue-datacatalog': 'true',
            '--TempDir': `s3://${buckets.artifacts}/glue-temp/`,
            ...glueJobArguments({ script, modules: args.scriptModules, buckets }),
          },
          tags,
        },
        // A run must find its module and contracts, so the job is updated after they are.
        { parent: this, dependsOn: [contractsObject, ...moduleObjects] },
      );
    }
    this.jobNames = jobNames;

    this.workgroupName = athenaWorkgroupName({
      app: 'infrastructure',
      env,
      component: 'analytics',
    });
    new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: this.workgroupName,
        description: `finks ${env}: the API and analysts query through this workgroup`,
        forceDestroy: env === 'dev',
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: bytesScannedCutoff(env),
          engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
          resultConfiguration: {
            outputLocation: `s3://${buckets['athena-results']}/`,
            encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: args.kmsKeyArn },
          },
        },
        tags,
      },
      { parent: this },
    );

    this.dbtWorkgroupName = dbtAthenaWorkgroupName(env);
    new aws.athena.Workgroup(
      `${name}-dbt-workgroup`,
      {
        name: this.dbtWorkgroupName,
        description: `finks ${env}: dbt-runner's builds query through this workgroup`,
        forceDestroy: env === 'dev',
        configuration: {
          // Not enforced: dbt-athena leaves external_location out of its CTAS when the workgroup
          // enforces a result location (is_work_group_output_location_enforced), and the marts
          // would land in the athena-results bucket, which expires objects. dbt sets the same
          // results folder itself (FINKS_ATHENA_S3_STAGING_DIR); the scan cutoff is no
          // client-side setting, so it holds either way.
          enforceWorkgroupConfiguration: false,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: bytesScannedCutoff(env),
          engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
          resultConfiguration: {
            outputLocation: `s3://${buckets['athena-results']}/dbt/`,
            // The athena-results bucket refuses puts naming another encryption or key; the lake
            // key by its ARN is what its policy compares with.
            encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: args.kmsKeyArn },
          },
        },
        tags,
      },
      { parent: this },
    );

    this.registerOutputs({
      databaseNames,
      snapshotsDatabaseName: this.snapshotsDatabaseName,
      jobNames,
      workgroupName: this.workgroupName,
      dbtWorkgroupName: this.dbtWorkgroupName,
    });
  }
}

function catalogTableArgs(
  spec: GlueTableSpec,
  databaseName: pulumi.Input<string>,
): aws.glue.CatalogTableArgs {
  const parquet = spec.format === 'parquet';
  return {
    name: spec.name,
    databaseName,
    description: spec.description,
    tableType: 'EXTERNAL_TABLE',
    parameters: { EXTERNAL: 'TRUE', ...spec.parameters },
    partitionKeys: [...spec.partitionKeys],
    storageDescriptor: {
      location: spec.location,
      columns: [...spec.columns],
      inputFormat: parquet
        ? 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
        : 'org.apache.hadoop.mapred.TextInputFormat',
      outputFormat: parquet
        ? 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
        : 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      serDeInfo: parquet
        ? { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' }
        : {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'true' },
          },
    },
  };
}

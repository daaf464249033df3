import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AwsEnv } from '../common/aws-env';
import type { Tags } from '../common/tags';

export interface DatabaseArgs {
  readonly env: AwsEnv;
  readonly subnetIds: pulumi.Input<string>[];
  readonly securityGroupId: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly tags: Tags;
}

/**
 * @finks/iam-names has no RDS rule yet; this follows its flat `finks-<env>-<app>-<component>`
 * shape (RDS identifiers: letters, digits and hyphens, at most 63 characters).
 */
export function prefectDatabaseIdentifier(env: AwsEnv): string {
  return `finks-${env}-infrastructure-prefect`;
}

/** The settings that differ by environment, exported so tests and docs read the same table. */
export function databaseProfile(env: AwsEnv) {
  const prod = env === 'prod';
  return {
    instanceClass: prod ? 'db.t4g.medium' : 'db.t4g.micro',
    multiAz: prod,
    deletionProtection: prod,
    backupRetentionPeriod: prod ? 14 : 7,
    skipFinalSnapshot: env === 'dev',
  };
}

/**
 * RDS Postgres for the Prefect server: in private subnets, never public, encrypted with the
 * platform key, backed up; multi-AZ and protected from deletion in prod. The master password is
 * generated and kept in Secrets Manager by RDS itself, so it never appears in code or state.
 */
export class Database extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  readonly address: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** The RDS-managed secret holding `{ username, password }`. */
  readonly masterSecretArn: pulumi.Output<string>;
  readonly databaseName = 'prefect';
  readonly username = 'prefect';

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:data:Database', name, {}, opts);
    const profile = databaseProfile(args.env);
    const identifier = prefectDatabaseIdentifier(args.env);

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        name: identifier,
        description: 'Private subnets of the Prefect database',
        subnetIds: args.subnetIds,
        tags: args.tags,
      },
      { parent: this },
    );
    this.instance = new aws.rds.Instance(
      `${name}-postgres`,
      {
        identifier,
        engine: 'postgres',
        engineVersion: '16',
        instanceClass: profile.instanceClass,
        allocatedStorage: 20,
        maxAllocatedStorage: 100,
        storageType: 'gp3',
        dbName: this.databaseName,
        username: this.username,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        publiclyAccessible: false,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        multiAz: profile.multiAz,
        deletionProtection: profile.deletionProtection,
        backupRetentionPeriod: profile.backupRetentionPeriod,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: profile.skipFinalSnapshot,
        ...(profile.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: `${identifier}-final` }),
        autoMinorVersionUpgrade: true,
        // Performance Insights is not offered on the micro class used outside prod.
        ...(args.env === 'prod'
          ? { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: args.kmsKeyArn }
          : {}),
        tags: args.tags,
      },
      { parent: this },
    );
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.masterSecretArn = this.instance.masterUserSecrets.apply((secrets) => {
      const arn = secrets[0]?.secretArn;
      if (arn === undefined) throw new Error(`Database ${name}: RDS returned no master secret`);
      return arn;
    });
    this.registerOutputs({ address: this.address, masterSecretArn: this.masterSecretArn });
  }
}

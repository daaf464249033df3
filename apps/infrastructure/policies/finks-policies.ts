// The platform's policies, apart from the PolicyPack (index.ts) because constructing a pack
// starts its gRPC server: tests import these objects and call them directly.
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import { REQUIRED_TAGS } from '../src/common/tags';

type Props = Record<string, unknown>;

const T = {
  bucket: 'aws:s3/bucket:Bucket',
  bucketSse:
    'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  bucketPublicAccessBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  bucketAcl: 'aws:s3/bucketAcl:BucketAcl',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  rdsInstance: 'aws:rds/instance:Instance',
  rdsCluster: 'aws:rds/cluster:Cluster',
  ebsVolume: 'aws:ebs/volume:Volume',
  snsTopic: 'aws:sns/topic:Topic',
  secret: 'aws:secretsmanager/secret:Secret',
  athenaWorkgroup: 'aws:athena/workgroup:Workgroup',
  glueJob: 'aws:glue/job:Job',
  dynamodbTable: 'aws:dynamodb/table:Table',
  efs: 'aws:efs/fileSystem:FileSystem',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  loadBalancer: 'aws:lb/loadBalancer:LoadBalancer',
  iamPolicy: 'aws:iam/policy:Policy',
  iamRolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  iamUserPolicy: 'aws:iam/userPolicy:UserPolicy',
  iamGroupPolicy: 'aws:iam/groupPolicy:GroupPolicy',
  iamRole: 'aws:iam/role:Role',
  iamRolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  taskDefinition: 'aws:ecs/taskDefinition:TaskDefinition',
  lambdaFunction: 'aws:lambda/function:Function',
} as const;

/** Resource types that carry tags; each must have the required ones. */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  T.bucket,
  T.rdsInstance,
  T.rdsCluster,
  T.snsTopic,
  T.secret,
  T.athenaWorkgroup,
  T.glueJob,
  T.logGroup,
  T.loadBalancer,
  T.iamRole,
  T.taskDefinition,
  T.lambdaFunction,
  T.dynamodbTable,
  'aws:kms/key:Key',
  'aws:ec2/vpc:Vpc',
  'aws:ec2/subnet:Subnet',
  'aws:ec2/internetGateway:InternetGateway',
  'aws:ec2/natGateway:NatGateway',
  'aws:ec2/eip:Eip',
  'aws:ec2/routeTable:RouteTable',
  'aws:ec2/securityGroup:SecurityGroup',
  'aws:ec2/vpcEndpoint:VpcEndpoint',
  'aws:ecr/repository:Repository',
  'aws:ecs/cluster:Cluster',
  'aws:ecs/service:Service',
  'aws:lb/targetGroup:TargetGroup',
  'aws:lb/listener:Listener',
  'aws:rds/subnetGroup:SubnetGroup',
  'aws:glue/catalogDatabase:CatalogDatabase',
  'aws:cloudwatch/metricAlarm:MetricAlarm',
  'aws:iam/openIdConnectProvider:OpenIdConnectProvider',
  'aws:apigatewayv2/api:Api',
  'aws:apigatewayv2/stage:Stage',
]);

/** AWS managed policies that make a role an administrator. */
export const ADMIN_MANAGED_POLICIES: readonly string[] = [
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/PowerUserAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
];

const WORKLOAD_SERVICES = ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com', 'glue.amazonaws.com'];

const SSE_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse', 'AES256']);

function get(props: Props, path: string): unknown {
  let value: unknown = props;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Props)[part];
  }
  return value;
}

const list = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

interface PolicyStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: unknown;
}

/** Statements of a policy document given as JSON text or an object; unknown (preview) → []. */
export function statementsOf(document: unknown): PolicyStatement[] {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  if (parsed === null || typeof parsed !== 'object') return [];
  return list((parsed as Props)['Statement']) as PolicyStatement[];
}

/** An Allow statement granting every action on every resource. */
export function isStarOnStar(statement: PolicyStatement): boolean {
  return (
    statement.Effect === 'Allow' &&
    list(statement.Action).includes('*') &&
    list(statement.Resource).includes('*')
  );
}

function policyDocumentsOf(type: string, props: Props): unknown[] {
  switch (type) {
    case T.iamPolicy:
    case T.iamRolePolicy:
    case T.iamUserPolicy:
    case T.iamGroupPolicy:
      return [props['policy']];
    case T.iamRole:
      return list(props['inlinePolicies']).map((inline) => get(inline as Props, 'policy'));
    default:
      return [];
  }
}

export const encryptionAtRest: ResourceValidationPolicy = {
  name: 'encryption-at-rest',
  description:
    'Every data store is encrypted at rest (S3, RDS, EBS, SNS, Secrets Manager, Athena, Glue, DynamoDB, EFS).',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    const props = args.props as Props;
    const need = (ok: boolean, message: string) => {
      if (!ok) report(message);
    };
    switch (args.type) {
      case T.bucketSse: {
        const rules = list(props['rules']);
        need(rules.length > 0, 'the bucket encryption configuration has no rule');
        for (const rule of rules) {
          const algorithm = get(rule as Props, 'applyServerSideEncryptionByDefault.sseAlgorithm');
          need(
            typeof algorithm === 'string' && SSE_ALGORITHMS.has(algorithm),
            `S3 default encryption must be aws:kms or AES256, got ${String(algorithm)}`,
          );
        }
        break;
      }
      case T.rdsInstance:
      case T.rdsCluster:
        need(
          props['storageEncrypted'] === true,
          'RDS storage must be encrypted (storageEncrypted: true)',
        );
        break;
      case T.ebsVolume:
      case T.efs:
        need(props['encrypted'] === true, 'the volume must be encrypted (encrypted: true)');
        break;
      case T.snsTopic:
        need(typeof props['kmsMasterKeyId'] === 'string', 'the SNS topic must set kmsMasterKeyId');
        break;
      case T.secret:
        need(
          typeof props['kmsKeyId'] === 'string',
          'the secret must be encrypted with a customer-managed key (kmsKeyId)',
        );
        break;
      case T.athenaWorkgroup:
        need(
          get(
            props,
            'configuration.resultConfiguration.encryptionConfiguration.encryptionOption',
          ) !== undefined,
          'the Athena workgroup must encrypt query results (resultConfiguration.encryptionConfiguration)',
        );
        break;
      case T.glueJob:
        need(
          typeof props['securityConfiguration'] === 'string',
          'the Glue job must use a security configuration (encrypted S3, logs, bookmarks)',
        );
        break;
      case T.dynamodbTable:
        need(
          get(props, 'serverSideEncryption.enabled') === true,
          'the DynamoDB table must enable serverSideEncryption',
        );
        break;
      default:
        break;
    }
  },
};

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal !== null && typeof principal === 'object') {
    return list((principal as Props)['AWS']).includes('*');
  }
  return false;
}

export const noPublicS3: ResourceValidationPolicy = {
  name: 'no-public-s3',
  description:
    'No S3 bucket is public: public access blocks on, no public ACLs, no policy allowing anyone.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    const props = args.props as Props;
    if (args.type === T.bucketPublicAccessBlock) {
      for (const flag of [
        'blockPublicAcls',
        'blockPublicPolicy',
        'ignorePublicAcls',
        'restrictPublicBuckets',
      ]) {
        if (props[flag] !== true) report(`the public access block must set ${flag}: true`);
      }
    }
    if (args.type === T.bucketAcl || args.type === T.bucket) {
      const acl = props['acl'];
      if (acl === 'public-read' || acl === 'public-read-write' || acl === 'authenticated-read') {
        report(`the bucket ACL "${acl}" makes it public`);
      }
    }
    if (args.type === T.bucketPolicy) {
      for (const statement of statementsOf(props['policy'])) {
        if (
          statement.Effect === 'Allow' &&
          isPublicPrincipal(statement.Principal) &&
          statement.Condition === undefined
        ) {
          report('the bucket policy allows anyone (Principal "*") without a condition');
        }
      }
    }
  },
};

/** Every bucket has a default-encryption configuration and a full public access block. */
export const bucketsEncryptedAndBlocked: StackValidationPolicy = {
  name: 's3-buckets-encrypted-and-blocked',
  description: 'Every S3 bucket in the stack has default encryption and a public access block.',
  enforcementLevel: 'mandatory',
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const byBucket = (type: string) =>
      new Set(
        args.resources
          .filter((resource) => resource.type === type)
          .map((resource) => resource.props['bucket'] as unknown),
      );
    const encrypted = byBucket(T.bucketSse);
    const blocked = byBucket(T.bucketPublicAccessBlock);
    for (const bucket of args.resources.filter((resource) => resource.type === T.bucket)) {
      const name = bucket.props['bucket'] as unknown;
      // An unknown name (computed during preview) cannot be matched; the check runs on `up`.
      if (typeof name !== 'string') continue;
      if (!encrypted.has(name))
        report(`bucket ${name} has no default encryption configuration`, bucket.urn);
      if (!blocked.has(name)) report(`bucket ${name} has no public access block`, bucket.urn);
    }
  },
};

export const noPublicRds: ResourceValidationPolicy = {
  name: 'no-public-rds',
  description: 'No RDS instance is publicly accessible.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (
      (args.type === T.rdsInstance || args.type === 'aws:rds/clusterInstance:ClusterInstance') &&
      args.props['publiclyAccessible'] === true
    ) {
      report('the database must not be publicly accessible (publiclyAccessible: false)');
    }
  },
};

export const requiredTags: ResourceValidationPolicy = {
  name: 'required-tags',
  description: `Taggable resources carry ${REQUIRED_TAGS.join(', ')}.`,
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (!TAGGABLE_TYPES.has(args.type)) return;
    const tags = (args.props['tags'] ?? {}) as Props;
    const missing = REQUIRED_TAGS.filter(
      (tag) => typeof tags[tag] !== 'string' || tags[tag] === '',
    );
    if (missing.length > 0) report(`missing required tags: ${missing.join(', ')}`);
  },
};

export const noIamStarOnStar: ResourceValidationPolicy = {
  name: 'no-iam-star-on-star',
  description: 'No IAM statement allows "*" actions on "*" resources.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    for (const document of policyDocumentsOf(args.type, args.props as Props)) {
      for (const statement of statementsOf(document)) {
        if (isStarOnStar(statement)) {
          report(
            `statement ${typeof statement.Sid === 'string' ? statement.Sid + ' ' : ''}allows "*" on "*"`,
          );
        }
      }
    }
  },
};

export const logRetentionSet: ResourceValidationPolicy = {
  name: 'log-retention-set',
  description: 'Every CloudWatch log group has a retention period.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (args.type !== T.logGroup) return;
    const days = args.props['retentionInDays'];
    if (typeof days !== 'number' || days <= 0)
      report('the log group must set retentionInDays (logs are otherwise kept forever)');
  },
};

export const deletionProtectionInProd: ResourceValidationPolicy = {
  name: 'deletion-protection-in-prod',
  description: 'Databases and load balancers tagged env=prod are protected from deletion.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    const props = args.props as Props;
    if (get(props, 'tags.env') !== 'prod') return;
    const flag: Record<string, string> = {
      [T.rdsInstance]: 'deletionProtection',
      [T.rdsCluster]: 'deletionProtection',
      [T.loadBalancer]: 'enableDeletionProtection',
      [T.dynamodbTable]: 'deletionProtectionEnabled',
    };
    const key = flag[args.type];
    if (key !== undefined && props[key] !== true) report(`prod resources must set ${key}: true`);
  },
};

function trustsWorkloadService(role: Props): boolean {
  return statementsOf(role['assumeRolePolicy']).some((statement) => {
    const principal = statement.Principal as Props | undefined;
    return list(principal?.['Service']).some((service) =>
      WORKLOAD_SERVICES.includes(String(service)),
    );
  });
}

function isAdminRole(
  role: PolicyResource,
  attachments: readonly PolicyResource[],
  inline: readonly PolicyResource[],
): boolean {
  const name = role.props['name'];
  const managed = list(role.props['managedPolicyArns']).map(String);
  if (managed.some((arn) => ADMIN_MANAGED_POLICIES.includes(arn))) return true;
  if (
    policyDocumentsOf(T.iamRole, role.props).some((document) =>
      statementsOf(document).some(isStarOnStar),
    )
  )
    return true;
  if (
    attachments.some(
      (attachment) =>
        attachment.props['role'] === name &&
        ADMIN_MANAGED_POLICIES.includes(String(attachment.props['policyArn'])),
    )
  )
    return true;
  return inline.some(
    (policy) =>
      policy.props['role'] === name && statementsOf(policy.props['policy']).some(isStarOnStar),
  );
}

/** A role trusted by ECS tasks, Lambda or Glue never carries an administrator policy. */
export const noAdminWorkloadRole: ResourceValidationPolicy = {
  name: 'no-admin-workload-role',
  description: 'No ECS task, Lambda function or Glue job role is an administrator.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    const props = args.props as Props;
    if (args.type === T.iamRole && trustsWorkloadService(props)) {
      const managed = list(props['managedPolicyArns']).map(String);
      if (managed.some((arn) => ADMIN_MANAGED_POLICIES.includes(arn))) {
        report('a role assumed by tasks or functions must not have an administrator policy');
      }
    }
  },
};

/** The stack-wide half: workloads whose role gets admin rights through attachments or inline policies. */
export const noAdminWorkloadRoleInStack: StackValidationPolicy = {
  name: 'no-admin-workload-role-in-stack',
  description:
    'No task definition, function or Glue job runs with a role that has administrator rights.',
  enforcementLevel: 'mandatory',
  validateStack: (args, report) => {
    const of = (type: string) => args.resources.filter((resource) => resource.type === type);
    const attachments = of(T.iamRolePolicyAttachment);
    const inline = of(T.iamRolePolicy);
    const adminRoles = of(T.iamRole).filter((role) => isAdminRole(role, attachments, inline));
    const isAdminArn = (arn: unknown) =>
      typeof arn === 'string' &&
      adminRoles.some(
        (role) =>
          typeof role.props['name'] === 'string' && arn.endsWith(`:role/${role.props['name']}`),
      );
    const workloads: [string, string[]][] = [
      [T.taskDefinition, ['taskRoleArn', 'executionRoleArn']],
      [T.lambdaFunction, ['role']],
      [T.glueJob, ['roleArn']],
    ];
    for (const [type, fields] of workloads) {
      for (const resource of of(type)) {
        for (const field of fields) {
          if (isAdminArn(resource.props[field])) {
            report(
              `${resource.name} runs with administrator role ${String(resource.props[field])} (${field})`,
              resource.urn,
            );
          }
        }
      }
    }
  },
};

export const RESOURCE_POLICIES: readonly ResourceValidationPolicy[] = [
  encryptionAtRest,
  noPublicS3,
  noPublicRds,
  requiredTags,
  noIamStarOnStar,
  logRetentionSet,
  deletionProtectionInProd,
  noAdminWorkloadRole,
];

export const STACK_POLICIES: readonly StackValidationPolicy[] = [
  bucketsEncryptedAndBlocked,
  noAdminWorkloadRoleInStack,
];

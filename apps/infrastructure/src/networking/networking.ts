import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AwsEnv } from '../common/aws-env';
import type { Tags } from '../common/tags';

export interface NetworkingArgs {
  readonly env: AwsEnv;
  readonly region: string;
  /** `10.N.0.0/16`; each AZ gets a /20 public and a /20 private subnet. */
  readonly cidr: string;
  readonly tags: Tags;
}

// ca-central-1 has no "c" zone; elsewhere the first three letters are used.
const ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  'ca-central-1': ['a', 'b', 'd'],
};

/** Two AZs, three in prod (so the database and services survive the loss of one). */
export function availabilityZones(env: AwsEnv, region: string): string[] {
  const letters = ZONE_LETTERS[region] ?? ['a', 'b', 'c'];
  return letters.slice(0, env === 'prod' ? 3 : 2).map((letter) => `${region}${letter}`);
}

/** One NAT gateway in dev and staging (cheaper); one per AZ in prod (no cross-AZ dependency). */
export function natGatewayCount(env: AwsEnv, zoneCount: number): number {
  return env === 'prod' ? zoneCount : 1;
}

export const INTERFACE_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sts'] as const;

/** The VPC the platform's tasks and database run in; nothing in it is reachable from outside. */
export class Networking extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** ECS tasks and Lambda functions. */
  readonly workloadSecurityGroup: aws.ec2.SecurityGroup;
  /** The internal load balancer in front of the Prefect server. */
  readonly loadBalancerSecurityGroup: aws.ec2.SecurityGroup;
  readonly databaseSecurityGroup: aws.ec2.SecurityGroup;
  readonly zones: readonly string[];

  constructor(name: string, args: NetworkingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:network:Networking', name, {}, opts);
    const { env, region, tags } = args;
    const second = /^10\.(\d{1,3})\.0\.0\/16$/.exec(args.cidr)?.[1];
    if (second === undefined) {
      throw new Error(`Networking ${name}: cidr must be a 10.N.0.0/16 block, got "${args.cidr}"`);
    }
    const zones = availabilityZones(env, region);
    this.zones = zones;
    const named = (suffix: string): Tags => ({ ...tags, Name: `finks-${env}-${suffix}` });

    this.vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: named('vpc'),
      },
      { parent: this },
    );
    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: this.vpc.id, tags: named('igw') },
      { parent: this },
    );
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      {
        vpcId: this.vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
        tags: named('public'),
      },
      { parent: this },
    );

    const publicSubnets: aws.ec2.Subnet[] = [];
    const privateSubnets: aws.ec2.Subnet[] = [];
    zones.forEach((zone, index) => {
      const publicSubnet = new aws.ec2.Subnet(
        `${name}-public-${index}`,
        {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: `10.${second}.${index * 16}.0/20`,
          mapPublicIpOnLaunch: false,
          tags: { ...named(`public-${zone}`), tier: 'public' },
        },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${index}-rta`,
        { subnetId: publicSubnet.id, routeTableId: publicRoutes.id },
        { parent: this },
      );
      publicSubnets.push(publicSubnet);
      privateSubnets.push(
        new aws.ec2.Subnet(
          `${name}-private-${index}`,
          {
            vpcId: this.vpc.id,
            availabilityZone: zone,
            cidrBlock: `10.${second}.${128 + index * 16}.0/20`,
            mapPublicIpOnLaunch: false,
            tags: { ...named(`private-${zone}`), tier: 'private' },
          },
          { parent: this },
        ),
      );
    });

    const natGateways = Array.from({ length: natGatewayCount(env, zones.length) }, (_, index) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-eip-${index}`,
        { domain: 'vpc', tags: named(`nat-${index}`) },
        { parent: this },
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${index}`,
        {
          allocationId: eip.id,
          subnetId: publicSubnets[index]!.id,
          tags: named(`nat-${index}`),
        },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables = privateSubnets.map((subnet, index) => {
      const nat = natGateways[index % natGateways.length]!;
      const table = new aws.ec2.RouteTable(
        `${name}-private-rt-${index}`,
        {
          vpcId: this.vpc.id,
          routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
          tags: named(`private-${index}`),
        },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${index}-rta`,
        { subnetId: subnet.id, routeTableId: table.id },
        { parent: this },
      );
      return table;
    });

    const allOutbound = [
      { protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'], description: 'egress' },
    ];
    this.loadBalancerSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-alb-sg`,
      {
        vpcId: this.vpc.id,
        description: 'Internal load balancer of the Prefect server',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 80,
            toPort: 80,
            cidrBlocks: [args.cidr],
            description: 'Prefect API from inside the VPC',
          },
        ],
        egress: allOutbound,
        tags: named('alb'),
      },
      { parent: this },
    );
    this.workloadSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-workload-sg`,
      {
        vpcId: this.vpc.id,
        description: 'ECS tasks and Lambda functions',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 4200,
            toPort: 4200,
            securityGroups: [this.loadBalancerSecurityGroup.id],
            description: 'Prefect server from the load balancer',
          },
        ],
        egress: allOutbound,
        tags: named('workload'),
      },
      { parent: this },
    );
    this.databaseSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-db-sg`,
      {
        vpcId: this.vpc.id,
        description: 'Prefect database: Postgres from the workloads only',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 5432,
            toPort: 5432,
            securityGroups: [this.workloadSecurityGroup.id],
            description: 'Postgres from ECS tasks',
          },
        ],
        tags: named('db'),
      },
      { parent: this },
    );
    const endpointSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-endpoints-sg`,
      {
        vpcId: this.vpc.id,
        description: 'Interface VPC endpoints: HTTPS from inside the VPC',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [args.cidr],
            description: 'HTTPS from the VPC',
          },
        ],
        tags: named('endpoints'),
      },
      { parent: this },
    );

    new aws.ec2.VpcEndpoint(
      `${name}-s3-endpoint`,
      {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${region}.s3`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [publicRoutes.id, ...privateRouteTables.map((table) => table.id)],
        tags: named('s3-endpoint'),
      },
      { parent: this },
    );
    for (const service of INTERFACE_ENDPOINTS) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service.replace('.', '-')}-endpoint`,
        {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((subnet) => subnet.id),
          securityGroupIds: [endpointSecurityGroup.id],
          tags: named(`${service}-endpoint`),
        },
        { parent: this },
      );
    }

    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.registerOutputs({
      vpcId: this.vpc.id,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}

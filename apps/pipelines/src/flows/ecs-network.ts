// The awsvpc network of the ECS tasks the flows start. The subnets and security group are stack
// outputs of apps/infrastructure; `pipelines:deploy` writes them into the work pool's job
// variables as FINKS_ECS_SUBNETS / FINKS_ECS_SECURITY_GROUPS, so a flow run finds them here.
import type { EcsNetwork } from '../aws';

const list = (name: string): string[] =>
  (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function ecsNetworkFromEnv(): EcsNetwork {
  const subnets = list('FINKS_ECS_SUBNETS');
  const securityGroups = list('FINKS_ECS_SECURITY_GROUPS');
  if (subnets.length === 0 || securityGroups.length === 0) {
    throw new Error(
      'ECS tasks need FINKS_ECS_SUBNETS and FINKS_ECS_SECURITY_GROUPS (comma-separated ids from the ' +
        'infrastructure stack outputs privateSubnetIds / workloadSecurityGroupId); ' +
        '`nx run pipelines:deploy` sets them on the work pool',
    );
  }
  return { subnets, securityGroups, assignPublicIp: false };
}

// The ECS network of an AWS environment, from the infrastructure stack's outputs
// (privateSubnetIds, workloadSecurityGroupId): `--stack-outputs <file>` (the JSON of
// `pulumi stack output --json`), else `pulumi stack output` when the Pulumi CLI is installed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../master-flow/app-commands';

export interface StackNetwork {
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
}

export function networkFromOutputs(outputs: Record<string, unknown>, source: string): StackNetwork {
  const subnets = outputs['privateSubnetIds'];
  const group = outputs['workloadSecurityGroupId'];
  if (
    !Array.isArray(subnets) ||
    subnets.length === 0 ||
    !subnets.every((s) => typeof s === 'string')
  ) {
    throw new Error(`${source}: privateSubnetIds must be a non-empty list of subnet ids`);
  }
  if (typeof group !== 'string' || group === '') {
    throw new Error(`${source}: workloadSecurityGroupId must be a security group id`);
  }
  return { subnets: subnets as string[], securityGroups: [group] };
}

export function readStackNetwork(env: string, outputsFile: string | undefined): StackNetwork {
  if (outputsFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(outputsFile, 'utf8'));
    } catch (error) {
      throw new Error(
        `--stack-outputs ${outputsFile}: not readable JSON (${(error as Error).message})`,
      );
    }
    return networkFromOutputs(parsed as Record<string, unknown>, outputsFile);
  }
  let text: string;
  try {
    text = execFileSync('pulumi', ['stack', 'output', '--json', '--stack', env], {
      cwd: join(workspaceRoot, 'apps/infrastructure'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(
      `the ${env} stack outputs are needed for the ECS network: install the Pulumi CLI and log in, ` +
        `or pass --stack-outputs <file from \`pulumi stack output --json\`> ` +
        `(${(error as Error).message.split('\n')[0]})`,
    );
  }
  return networkFromOutputs(JSON.parse(text) as Record<string, unknown>, `pulumi stack ${env}`);
}

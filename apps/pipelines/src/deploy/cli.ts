// `pipelines deploy|deploy-dry-run|validate`: the Prefect objects of an environment, as code.
import { Command, Option } from 'commander';
import { ENVIRONMENTS, loadConfig } from '@finks/config';
import { createPrefectClient, prefectSettingsFromEnv } from '@finks/prefect';
import { workspaceRoot } from '../master-flow/app-commands';
import { applyDeployPlan } from './apply';
import { deploymentPlan, type DeployPlan } from './plan';
import { readStackNetwork } from './stack-network';
import { readUniverse } from './universe';
import { validateDeployments } from './validate';

interface PlanFlags {
  env: string;
  path?: string;
  stackOutputs?: string;
}

const envOption = () =>
  new Option('--env <env>', 'environment (config/<env>.yaml)')
    .choices([...ENVIRONMENTS])
    .env('FINKS_ENV')
    .makeOptionMandatory();

const UNRESOLVED_NETWORK = {
  subnets: ['<privateSubnetIds of the stack>'],
  securityGroups: ['<workloadSecurityGroupId of the stack>'],
};

/** The plan; a dry run without the stack outputs shows where the network values will come from. */
function planFor(flags: PlanFlags, dryRun = false): DeployPlan {
  const config = loadConfig({ env: flags.env });
  let network;
  if (config.lake.kind === 's3') {
    try {
      network = readStackNetwork(config.env, flags.stackOutputs);
    } catch (error) {
      if (!dryRun) throw error;
      console.error(
        `note: ${(error as Error).message}; the plan shows placeholders for the network`,
      );
      network = UNRESOLVED_NETWORK;
    }
  }
  return deploymentPlan(config, {
    path: flags.path ?? (config.lake.kind === 'filesystem' ? workspaceRoot : '/repo'),
    universe: readUniverse(),
    ...(network ? { network } : {}),
  });
}

/** What the plan registers, without the flow objects (a reviewer reads this on a PR). */
export function describePlan(plan: DeployPlan): Record<string, unknown> {
  return {
    env: plan.env,
    workPool: {
      name: plan.workPool.name,
      type: plan.workPool.type,
      jobVariables: plan.jobVariables,
    },
    blocks: [
      { type: 'finks-aws-settings', name: plan.awsSettings.name, data: plan.awsSettings.data },
    ],
    variables: plan.variables,
    deployments: plan.deployments.map((d) => ({
      name: `${d.flow.flowName}/${d.name}`,
      entrypoint: d.entrypoint,
      parameters: d.parameters,
      schedules: d.schedules,
    })),
  };
}

function client() {
  const settings = prefectSettingsFromEnv();
  if (!settings) {
    throw new Error('PREFECT_API_URL is not set: point it at the Prefect API of the environment');
  }
  return createPrefectClient(settings);
}

export function deployCommands(): Command[] {
  const withPlanFlags = (command: Command) =>
    command
      .addOption(envOption())
      .option(
        '--path <dir>',
        "the checkout on the worker's host (default: this repository locally, /repo — the worker image's WORKDIR — in AWS)",
      )
      .option(
        '--stack-outputs <file>',
        'JSON of `pulumi stack output --json` (default: ask the Pulumi CLI)',
      );

  const apply = withPlanFlags(new Command('deploy'))
    .description("upsert the environment's work pool, blocks, variables and deployments in Prefect")
    .action(async (flags: PlanFlags) => {
      const plan = planFor(flags);
      // The webhook is a secret: from the environment (CI reads it from Secrets Manager), never a flag.
      const webhook = process.env['FINKS_SLACK_WEBHOOK_URL'];
      const applied = await applyDeployPlan(
        client(),
        plan,
        webhook ? { slackWebhookUrl: webhook } : {},
      );
      for (const object of applied)
        console.log(`${object.action.padEnd(9)} ${object.kind} ${object.name}`);
      const changed = applied.filter((o) => o.action !== 'unchanged').length;
      console.log(`${plan.env}: ${applied.length} objects, ${changed} created or updated`);
    });

  const dryRun = withPlanFlags(new Command('deploy-dry-run'))
    .description('print what deploy would register, touching nothing')
    .action((flags: PlanFlags) => {
      console.log(JSON.stringify(describePlan(planFor(flags, true)), null, 2));
    });

  const validate = new Command('validate')
    .description(
      "check every environment's deployments load and fit their flows; with PREFECT_API_URL, apply them there twice (the second apply must change nothing)",
    )
    .action(async () => {
      const settings = prefectSettingsFromEnv();
      const report = await validateDeployments(
        settings ? createPrefectClient(settings) : undefined,
      );
      const count = report.plans.reduce((n, p) => n + p.deployments.length, 0);
      for (const problem of report.problems) console.error(`problem: ${problem}`);
      if (report.problems.length > 0) {
        process.exitCode = 1;
        return;
      }
      console.log(
        `${count} deployments in ${report.plans.length} environments valid` +
          (settings
            ? `; applied twice to ${settings.apiUrl}, second apply unchanged`
            : ' (no PREFECT_API_URL: not applied)'),
      );
    });
  return [apply, dryRun, validate];
}

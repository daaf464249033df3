// `pipelines:validate`: every deployment of every environment loads and can run as deployed — its
// entrypoint is a flow of the planned name; its parameters, parsed by the flow's whole schema with
// its defaults and rules (the plan refuses them otherwise: deployment-problems.ts), let a run
// start; its flow counts its failures — and, with a Prefect API, each plan is accepted by the
// server and a second apply changes nothing.
import { ENVIRONMENTS, loadConfig } from '@finks/config';
import { loadFlowFromEntrypoint, type PrefectClient } from '@finks/prefect';
import { workspaceRoot } from '../master-flow/app-commands';
import { applyDeployPlan } from './apply';
import { DeploymentPlanError } from './deployment-plan-error';
import { deploymentPlan, type DeployPlan } from './plan';
import { readUniverse } from './universe';

const PLACEHOLDER_NETWORK = { subnets: ['subnet-validate'], securityGroups: ['sg-validate'] };

export interface ValidationReport {
  readonly plans: readonly DeployPlan[];
  readonly problems: readonly string[];
  readonly secondApplyChanged: readonly string[];
}

export async function validateDeployments(client?: PrefectClient): Promise<ValidationReport> {
  const problems: string[] = [];
  const universe = readUniverse();
  const plans: DeployPlan[] = [];
  for (const env of ENVIRONMENTS) {
    try {
      plans.push(
        deploymentPlan(loadConfig({ env }), {
          path: workspaceRoot,
          universe,
          ...(env === 'local' ? {} : { network: PLACEHOLDER_NETWORK }),
        }),
      );
    } catch (error) {
      if (error instanceof DeploymentPlanError) {
        problems.push(...error.problems.map((problem) => `${env} ${problem}`));
      } else {
        problems.push(`${env}: ${(error as Error).message}`);
      }
    }
  }
  for (const plan of plans) {
    for (const deployment of plan.deployments) {
      const where = `${plan.env} ${deployment.name}`;
      const loaded = await loadFlowFromEntrypoint(deployment.entrypoint, workspaceRoot).catch(
        (error: Error) => {
          problems.push(
            `${where}: entrypoint ${deployment.entrypoint} does not load: ${error.message}`,
          );
          return null;
        },
      );
      if (loaded && loaded.flowName !== deployment.flow.flowName) {
        problems.push(
          `${where}: entrypoint is flow "${loaded.flowName}", expected "${deployment.flow.flowName}"`,
        );
      }
    }
  }
  const secondApplyChanged: string[] = [];
  if (client && problems.length === 0) {
    // Each environment has a Prefect of its own; here they take turns on one server, so each plan
    // is applied and re-applied before the next one replaces its variables and deployments.
    for (const plan of plans) {
      await applyDeployPlan(client, plan);
      for (const object of await applyDeployPlan(client, plan)) {
        if (object.action !== 'unchanged') {
          secondApplyChanged.push(`${plan.env} ${object.kind} ${object.name}: ${object.action}`);
        }
      }
    }
    for (const change of secondApplyChanged) problems.push(`not idempotent: ${change}`);
  }
  return { plans, problems, secondApplyChanged };
}

// A deployment whose parameters could never start a run, or whose flow would fail without moving
// the flow-runs-failed alarm, is refused — the plan (deploy, deploy-dry-run) and validate with it.
import { ENVIRONMENTS, loadConfig } from '@finks/config';
import { flow } from '@finks/prefect';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bronzeToSilverFlow } from '../flows/transformation/bronze-to-silver';
import { masterFlowDeployable } from '../flows/deployable';
import { batchSelectionProblem } from '../transformation/bronze-to-silver/bronze-to-silver';
import { DeploymentPlanError } from './deployment-plan-error';
import { deploymentProblems } from './deployment-problems';
import { deploymentPlan } from './plan';

const universe = ['AAPL', 'MSFT'];
const network = { subnets: ['subnet-a'], securityGroups: ['sg-1'] };

describe('deploymentProblems', () => {
  it("refuses bronze-to-silver's old parameters { env }: every run failed at once", () => {
    const problems = deploymentProblems({
      name: 'bronze-to-silver',
      flow: bronzeToSilverFlow,
      parameters: { env: 'prod' },
    });
    expect(problems).toEqual([
      `bronze-to-silver: parameter dates: ${batchSelectionProblem('all', [])}; every run of the ` +
        'deployment would fail before it starts — fix its parameters in src/deploy/plan.ts',
    ]);
  });

  it('takes { env, batches: "pending" }: the catch-up window, no dates needed', () => {
    expect(
      deploymentProblems({
        name: 'bronze-to-silver',
        flow: bronzeToSilverFlow,
        parameters: { env: 'prod', batches: 'pending' },
      }),
    ).toEqual([]);
  });

  it('parses the whole schema: a required parameter left out is a problem', () => {
    const problems = deploymentProblems({
      name: 'master-flow',
      flow: masterFlowDeployable,
      parameters: { env: 'prod' },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^master-flow: parameter mongodbDatabase: /);
  });

  it('refuses a flow that does not count its failed runs', () => {
    const plain = flow(
      { name: 'plain-flow', parameters: z.object({ env: z.string().optional() }) },
      () => 1,
    );
    expect(deploymentProblems({ name: 'plain', flow: plain, parameters: {} })).toEqual([
      'plain: flow "plain-flow" does not count its failed runs for the flow-runs-failed alarm; ' +
        'define it with deployableFlow (src/flows/deployable-flow.ts)',
    ]);
  });
});

describe('the committed deploy plans', () => {
  it.each(ENVIRONMENTS)('%s: every deployment can run as deployed', (env) => {
    const plan = deploymentPlan(loadConfig({ env }), { path: '/opt/finks', universe, network });
    expect(plan.deployments.flatMap(deploymentProblems)).toEqual([]);
    expect(plan.deployments.find((d) => d.name === 'bronze-to-silver')?.parameters).toEqual({
      env,
      batches: 'pending',
    });
  });

  it('names every problem of a refused plan', () => {
    const error = new DeploymentPlanError('prod', ['a: first', 'b: second']);
    expect(error.code).toBe('deployment_plan');
    expect(error.message).toBe(
      'the prod deploy plan is refused: 2 problems\n  - a: first\n  - b: second',
    );
  });
});

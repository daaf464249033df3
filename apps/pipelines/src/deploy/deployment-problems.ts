// Whether a deployment can run as deployed: its parameters as a scheduled run or a quick run from
// the UI gets them, parsed by the flow's whole parameter schema — defaults filled in, rules across
// fields checked (bronze-to-silver's batch selection) — and a flow that reports its own failure.
// A partial parse let `{ env }` through for bronze-to-silver, a deployment every run of which
// failed at once.
import type { AnyFlow } from '@finks/prefect';
import { ZodObject } from 'zod';
import { reportsItsFailures } from '../flows/deployable-flow';

export interface DeploymentToCheck {
  readonly name: string;
  readonly flow: AnyFlow;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** What keeps `deployment` from running as deployed, one sentence each; empty when nothing. */
export function deploymentProblems(deployment: DeploymentToCheck): string[] {
  const { name, flow } = deployment;
  const problems: string[] = [];
  if (!reportsItsFailures(flow)) {
    problems.push(
      `${name}: flow "${flow.flowName}" does not count its failed runs for the flow-runs-failed ` +
        'alarm; define it with deployableFlow (src/flows/deployable-flow.ts)',
    );
  }
  const schema = flow.options.parameters;
  if (!(schema instanceof ZodObject)) {
    problems.push(`${name}: flow "${flow.flowName}" has no parameter schema`);
    return problems;
  }
  const parsed = schema.safeParse(deployment.parameters);
  for (const issue of parsed.error?.issues ?? []) {
    problems.push(
      `${name}: parameter ${issue.path.join('.') || '(root)'}: ${issue.message}; every run of ` +
        'the deployment would fail before it starts — fix its parameters in src/deploy/plan.ts',
    );
  }
  return problems;
}

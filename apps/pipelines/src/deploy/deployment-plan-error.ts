/** A deploy plan holds deployments that could never run as deployed (deploymentProblems). */
export class DeploymentPlanError extends Error {
  override name = 'DeploymentPlanError';
  readonly code = 'deployment_plan';

  constructor(
    readonly env: string,
    readonly problems: readonly string[],
  ) {
    super(
      `the ${env} deploy plan is refused: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
  }
}

// Turns "what changed" (Nx's affected projects) and the project graph into a deploy plan: which
// projects, to which environments, in which stages, each waiting on which. The workflows read
// the JSON; pull requests get the Markdown.
import { PlanError } from './plan-error.ts';
import { deployableProjects, transitiveDependencies, type ProjectGraph } from './project-graph.ts';
import type { DeployEnvironment, Trigger } from './trigger.ts';

export interface PlannedDeploy {
  readonly project: string;
  readonly environments: readonly DeployEnvironment[];
  /** 0-based: every project of stage n may start once stage n-1 is done. */
  readonly stage: number;
  /** Planned projects that must finish first (only the nearest: A→B→C lists B for A, not C). */
  readonly waitsOn: readonly string[];
  /** One per environment: a GitHub Actions `concurrency` group, so two runs never share a stack lock. */
  readonly concurrencyGroups: readonly string[];
  /**
   * The GitHub environment variable holding this project's OIDC deploy role ARN (an output of
   * the infrastructure's CiAccess component, copied into each GitHub environment).
   */
  readonly awsRoleVariable: string;
  readonly reason: 'affected' | 'release tag';
}

export interface DeployPlan {
  readonly trigger: Trigger;
  readonly base: string | null;
  readonly head: string | null;
  readonly affected: readonly string[];
  /** In deploy order: by stage, then by name. */
  readonly deploys: readonly PlannedDeploy[];
  readonly stages: readonly (readonly string[])[];
  /** Every deployable project → whether this plan deploys it (what a workflow job's `if:` reads). */
  readonly projects: Readonly<Record<string, boolean>>;
  readonly skipped: readonly { readonly project: string; readonly reason: string }[];
}

export interface PlanInput {
  readonly graph: ProjectGraph;
  readonly affected: readonly string[];
  readonly trigger: Trigger;
  readonly base?: string;
  readonly head?: string;
}

export function awsRoleVariable(project: string): string {
  return `AWS_DEPLOY_ROLE_${project.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function concurrencyGroup(project: string, environment: DeployEnvironment): string {
  return `deploy-${project}-${environment}`;
}

function selectProjects(input: PlanInput, deployable: readonly string[]): Set<string> {
  const { trigger, affected, graph } = input;
  if (trigger.kind === 'none') return new Set();
  if (trigger.kind === 'release') {
    if (!(trigger.project in graph.nodes)) {
      throw new PlanError(
        'unknown_project',
        `Tag names project "${trigger.project}", which is not in the workspace; ` +
          `release one of: ${deployable.join(', ')}.`,
      );
    }
    if (!deployable.includes(trigger.project)) {
      throw new PlanError(
        'not_deployable',
        `Project "${trigger.project}" has no deploy target, so a tag cannot release it; ` +
          `release one of: ${deployable.join(', ')}.`,
      );
    }
    return new Set([trigger.project]);
  }
  return new Set(deployable.filter((p) => affected.includes(p)));
}

/** Stage of each planned project: one more than the latest stage among what it depends on. */
function stagesOf(planned: ReadonlySet<string>, deps: ReadonlyMap<string, Set<string>>) {
  const stage = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (project: string): number => {
    const known = stage.get(project);
    if (known !== undefined) return known;
    if (visiting.has(project)) {
      throw new PlanError(
        'cycle',
        `Deployable projects depend on each other in a cycle through "${project}"; ` +
          'remove one of the implicitDependencies or imports.',
      );
    }
    visiting.add(project);
    let own = 0;
    for (const dep of deps.get(project) ?? []) own = Math.max(own, visit(dep) + 1);
    visiting.delete(project);
    stage.set(project, own);
    return own;
  };
  for (const project of planned) visit(project);
  return stage;
}

export function buildDeployPlan(input: PlanInput): DeployPlan {
  const { graph, trigger } = input;
  const deployable = deployableProjects(graph);
  const planned = selectProjects(input, deployable);

  const deps = new Map<string, Set<string>>();
  for (const project of planned) {
    const all = transitiveDependencies(graph, project);
    deps.set(project, new Set([...planned].filter((other) => all.has(other))));
  }
  const stage = stagesOf(planned, deps);

  const nearest = (project: string): string[] => {
    const mine = deps.get(project) ?? new Set<string>();
    return [...mine]
      .filter((dep) => ![...mine].some((other) => other !== dep && deps.get(other)?.has(dep)))
      .sort();
  };

  const deploys: PlannedDeploy[] = [...planned]
    .sort((a, b) => (stage.get(a) ?? 0) - (stage.get(b) ?? 0) || a.localeCompare(b))
    .map((project) => ({
      project,
      environments: trigger.environments,
      stage: stage.get(project) ?? 0,
      waitsOn: nearest(project),
      concurrencyGroups: trigger.environments.map((env) => concurrencyGroup(project, env)),
      awsRoleVariable: awsRoleVariable(project),
      reason: trigger.kind === 'release' ? 'release tag' : 'affected',
    }));

  const stages: string[][] = [];
  for (const d of deploys) (stages[d.stage] ??= []).push(d.project);

  const skipReason = (): string => {
    if (trigger.kind === 'none') return `${trigger.ref} deploys nowhere`;
    if (trigger.kind === 'release') return `the tag releases ${trigger.project} only`;
    return 'not affected';
  };

  return {
    trigger,
    base: input.base ?? null,
    head: input.head ?? null,
    affected: [...input.affected].sort(),
    deploys,
    stages,
    projects: Object.fromEntries(deployable.map((p) => [p, planned.has(p)])),
    skipped: deployable
      .filter((p) => !planned.has(p))
      .map((project) => ({ project, reason: skipReason() })),
  };
}

// What started the workflow decides where a plan deploys. The branch model is GitFlow, as the
// four former repositories had it (tools/ci/README.md): develop → dev, main → staging,
// `<project>@<semver>` tags → prod; pull requests and release/hotfix branches only preview.
import { PlanError } from './plan-error.ts';

export const DEPLOY_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type DeployEnvironment = (typeof DEPLOY_ENVIRONMENTS)[number];

export type Trigger =
  | { kind: 'preview'; ref: string; environments: DeployEnvironment[] }
  | { kind: 'deploy'; ref: string; environments: [DeployEnvironment] }
  | {
      kind: 'release';
      ref: string;
      environments: ['prod'];
      project: string;
      version: string;
    }
  | { kind: 'none'; ref: string; environments: [] };

// semver.org's grammar, without build metadata's leading-zero subtleties that tags never use.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export interface TriggerInput {
  /** `github.event_name`: pull_request, push, workflow_dispatch … */
  readonly event: string;
  /** `github.ref`: refs/heads/main, refs/tags/pipelines@1.2.0, refs/pull/7/merge … */
  readonly ref: string;
  /** For pull requests, `github.base_ref`: the branch the PR merges into. */
  readonly baseRef?: string;
}

export function parseReleaseTag(tag: string): { project: string; version: string } {
  const at = tag.lastIndexOf('@');
  const project = tag.slice(0, at);
  const version = tag.slice(at + 1);
  if (at <= 0 || !SEMVER.test(version)) {
    throw new PlanError(
      'bad_tag',
      `Tag "${tag}" is not a release tag; name it <project>@<semver>, e.g. pipelines@1.4.0.`,
    );
  }
  return { project, version };
}

export function resolveTrigger(input: TriggerInput): Trigger {
  const { event, ref } = input;
  if (event === 'pull_request' || event === 'pull_request_target') {
    // Previews look at the stacks the PR's branch will reach next: develop feeds dev; main
    // (release/* and hotfix/* PRs) feeds staging and then prod.
    const target = input.baseRef ?? 'main';
    return {
      kind: 'preview',
      ref,
      environments: target === 'develop' ? ['dev'] : ['staging', 'prod'],
    };
  }
  if (ref.startsWith('refs/tags/')) {
    return { kind: 'release', ref, environments: ['prod'], ...parseReleaseTag(ref.slice(10)) };
  }
  const branch = ref.replace(/^refs\/heads\//, '');
  if (branch === 'main') return { kind: 'deploy', ref, environments: ['staging'] };
  if (branch === 'develop') return { kind: 'deploy', ref, environments: ['dev'] };
  if (branch.startsWith('release/') || branch.startsWith('hotfix/')) {
    return { kind: 'preview', ref, environments: ['staging', 'prod'] };
  }
  return { kind: 'none', ref, environments: [] };
}

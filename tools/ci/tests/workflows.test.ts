// The workflows agree with the deploy plan and with the rules of issue #8: the deploy job graph
// is the plan's waitsOn for the real workspace, each deploy has its own concurrency group per
// project and environment, AWS is reached through OIDC roles only, prod waits for reviewers.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  buildDeployPlan,
  concurrencyGroup,
  deployableProjects,
  projectGraph,
  resolveTrigger,
  type DeployPlan,
  type ProjectGraph,
} from '../src/index.ts';
import { workspaceRoot } from './synthetic-workspace.ts';
import { runCommand } from './tools.ts';

const exec = promisify(execFile);

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Defaults {
  run?: { shell?: string };
}
interface Concurrency {
  group: string;
  'cancel-in-progress'?: boolean | string;
}
interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  environment?: unknown;
  permissions?: Record<string, string>;
  concurrency?: Concurrency;
  secrets?: unknown;
  defaults?: Defaults;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: Concurrency;
  defaults?: Defaults;
  jobs: Record<string, Job>;
}

const workflowDir = join(workspaceRoot, '.github/workflows');
const workflows = new Map<string, { text: string; yaml: Workflow }>();
let graph: ProjectGraph;
let fullPlan: DeployPlan;

beforeAll(async () => {
  for (const file of await readdir(workflowDir)) {
    const text = await readFile(join(workflowDir, file), 'utf8');
    workflows.set(file, { text, yaml: parse(text) as Workflow });
  }
  graph = await projectGraph(workspaceRoot);
  fullPlan = buildDeployPlan({
    graph,
    affected: deployableProjects(graph),
    trigger: resolveTrigger({ event: 'push', ref: 'refs/heads/main' }),
  });
}, 120_000);

const workflow = (file: string): Workflow => {
  const found = workflows.get(file);
  if (!found) throw new Error(`.github/workflows/${file} is missing`);
  return found.yaml;
};
const needsOf = (job: Job) => [job.needs ?? []].flat();
const stepNamed = (job: Job | undefined, name: string): Step => {
  const found = job?.steps?.find((s) => s.name === name);
  if (!found?.run) throw new Error(`no run step named "${name}"`);
  return found;
};
/** Runs a step's script as GitHub does with `shell: bash`; `env` stands in for the runner's. */
const runStep = (step: Step, env: Record<string, string>) =>
  runCommand('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''], { env });

/**
 * The job's `first-commit` step comes before nx-set-shas and gives the repository's first commit
 * (nx-set-shas' fallback: HEAD~1 would check or deploy only the last commit's projects).
 */
async function expectFirstCommitStep(job: Job | undefined) {
  const steps = job?.steps ?? [];
  const index = steps.findIndex((s) => s.id === 'first-commit');
  expect(index).toBeGreaterThanOrEqual(0);
  expect(index).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith('nrwl/nx-set-shas@')));
  const repo = await mkdtemp(join(tmpdir(), 'finks-first-commit-'));
  try {
    const git = (...args: string[]) => exec('git', args, { cwd: repo });
    await git('init', '-q');
    const commits: string[] = [];
    for (const n of [1, 2, 3]) {
      await git(
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@t',
        'commit',
        '-q',
        '--allow-empty',
        '-m',
        `c${n}`,
      );
      commits.push((await git('rev-parse', 'HEAD')).stdout.trim());
    }
    const output = join(repo, 'github-output');
    await writeFile(output, '');
    const step = steps[index] as Step;
    const result = await runCommand(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''],
      { cwd: repo, env: { GITHUB_OUTPUT: output } },
    );
    expect(result.code, result.output).toBe(0);
    expect(await readFile(output, 'utf8')).toBe(`sha=${commits[0]}\n`);
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

describe('deploy.yml', () => {
  it('deploys on pushes to main and develop', () => {
    expect(workflow('deploy.yml').on['push']).toEqual({ branches: ['main', 'develop'] });
  });

  it('has one job per deployable project, its needs being the plan waitsOn', () => {
    const { jobs } = workflow('deploy.yml');
    expect(fullPlan.deploys.map((d) => d.project).sort()).toEqual(
      ['dbt-runner', 'infrastructure', 'ingestion', 'pipelines'].sort(),
    );
    for (const deploy of fullPlan.deploys) {
      const job = jobs[deploy.project];
      expect(job, `job ${deploy.project}`).toBeDefined();
      if (!job) continue;
      expect(
        needsOf(job)
          .filter((n) => n !== 'plan')
          .sort(),
        deploy.project,
      ).toEqual([...deploy.waitsOn]);
      expect(needsOf(job)).toContain('plan');
      expect(job.if).toContain(`fromJSON(needs.plan.outputs.plan).projects.${deploy.project}`);
      expect(job.uses).toBe('./.github/workflows/deploy-project.yml');
      expect(job.with).toMatchObject({
        project: deploy.project,
        'aws-role-variable': deploy.awsRoleVariable,
      });
    }
  });

  it('lets a job that waits on others run when they were skipped, never after a failure', () => {
    const { jobs } = workflow('deploy.yml');
    for (const deploy of fullPlan.deploys.filter((d) => d.waitsOn.length > 0)) {
      expect(jobs[deploy.project]?.if).toMatch(/!cancelled\(\) && !failure\(\)/);
    }
  });

  it('deploys dbt-runner and ingestion after infrastructure, in parallel with each other', () => {
    const { jobs } = workflow('deploy.yml');
    for (const app of ['dbt-runner', 'ingestion']) {
      expect(needsOf(jobs[app] as Job).sort(), app).toEqual(['infrastructure', 'plan']);
      expect(jobs[app]?.if, app).toMatch(/^\$\{\{ !cancelled\(\) && !failure\(\) && /);
    }
    expect(needsOf(jobs['dbt-runner'] as Job)).not.toContain('ingestion');
    expect(needsOf(jobs['ingestion'] as Job)).not.toContain('dbt-runner');
  });

  it('refuses, before planning, any ref but main and develop (a tag would deploy to prod)', async () => {
    const plan = workflow('deploy.yml').jobs['plan'];
    const guard = stepNamed(plan, 'Deploy from main or develop only');
    expect(plan?.steps?.[0]).toBe(guard);
    for (const ref of ['refs/heads/main', 'refs/heads/develop']) {
      const result = await runStep(guard, { GITHUB_REF: ref });
      expect(result.code, `${ref}: ${result.output}`).toBe(0);
    }
    for (const ref of ['refs/tags/pipelines@1.4.0', 'refs/heads/feature/x', 'refs/heads/mainx']) {
      const result = await runStep(guard, { GITHUB_REF: ref });
      expect(result.code, ref).not.toBe(0);
      expect(result.output, ref).toContain(`not ${ref}; release to prod with a <project>@<semver>`);
    }
  });

  it('measures affected from the last successful deploy run, else from the first commit', async () => {
    const plan = workflow('deploy.yml').jobs['plan'];
    const setShas = plan?.steps?.find((s) => s.uses?.startsWith('nrwl/nx-set-shas@'));
    expect(setShas?.with).toMatchObject({
      'workflow-id': 'deploy.yml',
      'fallback-sha': '${{ steps.first-commit.outputs.sha }}',
    });
    await expectFirstCommitStep(plan);
  });
});

describe('ci.yml', () => {
  it('checks what changed since the last green run, else everything', async () => {
    const affected = workflow('ci.yml').jobs['affected'];
    const setShas = affected?.steps?.find((s) => s.uses?.startsWith('nrwl/nx-set-shas@'));
    expect(setShas?.with).toMatchObject({
      'fallback-sha': '${{ steps.first-commit.outputs.sha }}',
    });
    await expectFirstCommitStep(affected);
  });
});

describe('deploy-project.yml', () => {
  const job = () => workflow('deploy-project.yml').jobs['deploy'] as Job;

  it('serialises deploys per project and environment, never cancelling one half-way', () => {
    const group = job().concurrency?.group ?? '';
    const asDeployed = group
      .replace('${{ inputs.project }}', 'pipelines')
      .replace('${{ inputs.environment }}', 'prod');
    expect(asDeployed).toBe(concurrencyGroup('pipelines', 'prod'));
    expect(job().concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('runs in the GitHub environment named by its input (prod has required reviewers)', () => {
    expect(job().environment).toBe('${{ inputs.environment }}');
  });

  it('assumes the plan-named role through OIDC', () => {
    const wf = workflow('deploy-project.yml');
    expect({ ...wf.permissions, ...job().permissions }['id-token']).toBe('write');
    const aws = job().steps?.find((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars[inputs.aws-role-variable] }}');
  });
});

describe('deploy-project.yml for pipelines', () => {
  const wf = () => workflow('deploy-project.yml');
  const steps = () => wf().jobs['deploy']?.steps ?? [];

  it('passes the Prefect API, its auth and the Slack webhook to the pipelines deploy', () => {
    const deploy = stepNamed(
      wf().jobs['deploy'],
      'nx deploy (its own dependencies are separate jobs of the caller)',
    );
    expect(deploy.env).toMatchObject({
      PREFECT_API_URL: "${{ inputs.project == 'pipelines' && vars.PREFECT_API_URL || '' }}",
      PREFECT_API_AUTH_STRING:
        "${{ inputs.project == 'pipelines' && secrets.PREFECT_API_AUTH_STRING || '' }}",
      FINKS_SLACK_WEBHOOK_URL:
        "${{ inputs.project == 'pipelines' && secrets.FINKS_SLACK_WEBHOOK_URL || '' }}",
    });
    const declared = (wf().on['workflow_call'] as { secrets: Record<string, unknown> }).secrets;
    expect(Object.keys(declared)).toEqual(
      expect.arrayContaining(['PREFECT_API_AUTH_STRING', 'FINKS_SLACK_WEBHOOK_URL']),
    );
  });

  it("hands the infrastructure job's stack outputs to the pipelines job as an artifact", () => {
    const uploads = steps().filter(
      (s) => s.uses?.startsWith('actions/upload-artifact@') && s.if?.includes("'infrastructure'"),
    );
    expect(uploads.map((s) => s.with?.['name'])).toEqual([
      'stack-outputs-${{ inputs.environment }}',
    ]);
    const download = steps().find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download?.if).toBe("inputs.project == 'pipelines'");
    expect(download?.with?.['name']).toBe('stack-outputs-${{ inputs.environment }}');
    const output = stepNamed(wf().jobs['deploy'], 'Stack outputs for the pipelines deploy');
    expect(output.run).toMatch(/pulumi stack output --json/);
    expect(output.run).not.toMatch(/--show-secrets/);
  });

  describe('the FINKS_STACK_OUTPUTS step', () => {
    let temp: string;
    const step = () =>
      stepNamed(wf().jobs['deploy'], 'Stack outputs file for deploy.sh (FINKS_STACK_OUTPUTS)');
    const run = (env: Record<string, string>) =>
      runStep(step(), {
        RUNNER_TEMP: temp,
        GITHUB_ENV: join(temp, 'github-env'),
        FINKS_ENV: 'staging',
        ...env,
      });

    beforeAll(async () => {
      temp = await mkdtemp(join(tmpdir(), 'finks-stack-outputs-'));
    });
    afterAll(async () => {
      await rm(temp, { recursive: true, force: true });
    });

    it('falls back to the STACK_OUTPUTS variable when infrastructure did not run', async () => {
      const result = await run({ FROM_ARTIFACT: 'failure', STACK_OUTPUTS: '{"vpcId":"vpc-1"}' });
      expect(result.code, result.output).toBe(0);
      const file = join(temp, 'stack-outputs/stack-outputs.json');
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ vpcId: 'vpc-1' });
      expect(await readFile(join(temp, 'github-env'), 'utf8')).toContain(
        `FINKS_STACK_OUTPUTS=${file}`,
      );
    });

    it('fails, naming the variable, when it has neither', async () => {
      const result = await run({ FROM_ARTIFACT: 'failure', STACK_OUTPUTS: '' });
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/no STACK_OUTPUTS variable/);
    });
  });
});

describe('pr-closed.yml', () => {
  it("shares the PR's preview group, so closing cancels previews, and a reopen queues", () => {
    const closed = workflow('pr-closed.yml');
    const preview = workflow('preview.yml');
    expect(closed.concurrency?.group).toBe('preview-${{ github.event.pull_request.number }}');
    expect(preview.concurrency?.group).toBe(closed.concurrency?.group);
    expect(closed.concurrency?.['cancel-in-progress']).toBe(true);
    // The only preview event that can follow a close must not cancel the drop.
    expect(preview.on['pull_request']).toEqual({ types: ['opened', 'synchronize', 'reopened'] });
    expect(preview.concurrency?.['cancel-in-progress']).toBe(
      "${{ github.event.action != 'reopened' }}",
    );
  });

  it('has no job group that a preview job can cancel', () => {
    const cancelling = new Set(
      Object.values(workflow('preview.yml').jobs)
        .filter((j) => j.concurrency?.['cancel-in-progress'] !== false)
        .map((j) => j.concurrency?.group)
        .filter((g) => g !== undefined),
    );
    for (const [name, job] of Object.entries(workflow('pr-closed.yml').jobs)) {
      if (job.concurrency) expect(cancelling.has(job.concurrency.group), name).toBe(false);
    }
  });
});

describe('release.yml', () => {
  it('deploys a <project>@<semver> tag to prod through deploy-project.yml', () => {
    const wf = workflow('release.yml');
    expect(wf.on['push']).toEqual({ tags: ['*@[0-9]*.[0-9]*.[0-9]*'] });
    expect(wf.jobs['prod']).toMatchObject({
      uses: './.github/workflows/deploy-project.yml',
      with: { environment: 'prod' },
    });
  });
});

describe('preview.yml', () => {
  it('gates each per-project job on the plan', () => {
    const { jobs } = workflow('preview.yml');
    const gates = Object.values(jobs)
      .map((j) => j.if ?? '')
      .join('\n');
    for (const project of deployableProjects(graph)) {
      expect(gates).toContain(`fromJSON(needs.plan.outputs.plan).projects.${project}`);
    }
  });

  describe("slim CI's staging manifest", () => {
    let temp: string;
    const step = () =>
      stepNamed(
        workflow('preview.yml').jobs['dbt-slim-ci'],
        'Manifest of the last staging deploy of dbt-runner (for state:modified+ and --defer)',
      );
    const artifact = (id: number, created: string, extra: object = {}) => ({
      id,
      name: 'dbt-manifest-staging',
      expired: false,
      created_at: created,
      workflow_run: { head_branch: 'main' },
      ...extra,
    });
    /** A gh CLI that answers the listing with `artifacts` (through the real jq) and serves zips. */
    const run = async (artifacts: object[]) => {
      await writeFile(join(temp, 'artifacts.json'), JSON.stringify({ artifacts }));
      const gh = join(temp, 'bin/gh');
      await mkdir(join(temp, 'bin'), { recursive: true });
      await writeFile(
        gh,
        `#!/usr/bin/env bash
case "$2" in
  *'/actions/artifacts?name=dbt-manifest-staging'*) jq -r "$4" "${temp}/artifacts.json" ;;
  */zip) id="\${2%/zip}"; cat "${temp}/\${id##*/}.zip" ;;
  *) echo "unexpected gh $*" >&2; exit 1 ;;
esac
`,
      );
      await chmod(gh, 0o755);
      return runStep(step(), {
        PATH: `${join(temp, 'bin')}:${process.env['PATH'] ?? ''}`,
        GITHUB_REPOSITORY: 'finks/finks',
        RUNNER_TEMP: temp,
        DBT_STATE_DIR: join(temp, 'state'),
      });
    };

    beforeAll(async () => {
      temp = await mkdtemp(join(tmpdir(), 'finks-manifest-'));
      for (const id of [41, 42]) {
        await mkdir(join(temp, `a${id}`));
        await writeFile(join(temp, `a${id}/manifest.json`), JSON.stringify({ artifact: id }));
        await exec('zip', [
          '-j',
          '-q',
          join(temp, `${id}.zip`),
          join(temp, `a${id}/manifest.json`),
        ]);
      }
    });
    afterAll(async () => {
      await rm(temp, { recursive: true, force: true });
    });

    it('takes the newest unexpired artifact of main, whichever run made it', async () => {
      const result = await run([
        artifact(43, '2026-11-03T00:00:00Z', { expired: true }),
        artifact(44, '2026-11-04T00:00:00Z', { workflow_run: { head_branch: 'develop' } }),
        artifact(42, '2026-11-02T00:00:00Z'),
        artifact(41, '2026-11-01T00:00:00Z'),
      ]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain('deferring to the manifest of artifact 42');
      const manifest = await readFile(join(temp, 'state/manifest.json'), 'utf8');
      expect(JSON.parse(manifest)).toEqual({ artifact: 42 });
    });

    it('builds every model, without failing, when there is none', async () => {
      const result = await run([artifact(43, '2026-11-03T00:00:00Z', { expired: true })]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain('no staging manifest yet');
    });
  });

  it('previews infrastructure per stack with the policy pack and a PR comment', () => {
    const job = workflow('preview.yml').jobs['infrastructure'];
    const preview = job?.steps?.find((s) => s.uses?.startsWith('pulumi/actions@'));
    expect(preview?.with).toMatchObject({
      command: 'preview',
      'stack-name': '${{ matrix.stack }}',
      'comment-on-pr': true,
      policyPacks: 'apps/infrastructure/policies',
    });
  });
});

describe('every workflow', () => {
  it('uses no long-lived AWS keys: OIDC roles only, with id-token: write', () => {
    for (const [file, { text, yaml }] of workflows) {
      expect(text, file).not.toMatch(
        /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i,
      );
      for (const [name, job] of Object.entries(yaml.jobs)) {
        const aws = (job.steps ?? []).filter((s) =>
          s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
        );
        if (aws.length === 0) continue;
        expect({ ...yaml.permissions, ...job.permissions }['id-token'], `${file} ${name}`).toBe(
          'write',
        );
        for (const step of aws)
          expect(step.with?.['role-to-assume'], `${file} ${name}`).toBeTruthy();
      }
    }
  });

  it('runs every script that pipes under bash with pipefail (an explicit `shell: bash`)', () => {
    const piping = /(?<![|])\|(?![|])/;
    let checked = 0;
    for (const [file, { yaml }] of workflows) {
      for (const [name, job] of Object.entries(yaml.jobs)) {
        for (const step of job.steps ?? []) {
          if (!step.run || !piping.test(step.run)) continue;
          checked += 1;
          const shell = step.shell ?? job.defaults?.run?.shell ?? yaml.defaults?.run?.shell;
          expect(shell, `${file} ${name}: ${step.name ?? step.run.slice(0, 40)}`).toBe('bash');
        }
      }
    }
    // The deploy plan steps of deploy.yml, preview.yml and release.yml at least.
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('pins every action to a major version', () => {
    for (const [file, { yaml }] of workflows) {
      for (const job of Object.values(yaml.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses && !step.uses.startsWith('./')) {
            expect(step.uses, file).toMatch(/@v\d+$/);
          }
        }
      }
    }
  });
});

describe('repository settings', () => {
  it('CODEOWNERS names an owner for every app and only paths that exist', async () => {
    const text = await readFile(join(workspaceRoot, '.github/CODEOWNERS'), 'utf8');
    const rules = text
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/));
    for (const app of ['infrastructure', 'pipelines', 'dbt-runner', 'ingestion']) {
      const rule = rules.find(([path]) => path === `/apps/${app}/`);
      expect(rule?.slice(1).length, app).toBeGreaterThan(0);
    }
    for (const [path] of rules) {
      if (path === '*' || path === undefined) continue;
      await expect(stat(join(workspaceRoot, path)), path).resolves.toBeTruthy();
    }
  });

  it('Dependabot watches npm, pip, GitHub Actions and Docker', async () => {
    const config = parse(await readFile(join(workspaceRoot, '.github/dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string }[];
    };
    expect(config.updates.map((u) => u['package-ecosystem'])).toEqual(
      expect.arrayContaining(['npm', 'pip', 'github-actions', 'docker']),
    );
  });

  it("Dependabot's docker entry covers the folder of every Dockerfile", async () => {
    const config = parse(await readFile(join(workspaceRoot, '.github/dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string; directories?: string[] }[];
    };
    const watched =
      config.updates.find((u) => u['package-ecosystem'] === 'docker')?.directories ?? [];
    const covers = (dir: string) =>
      watched.some((w) =>
        w.endsWith('/**') ? `/${dir}`.startsWith(w.slice(0, -3)) : `/${dir}` === w,
      );
    const { stdout } = await exec(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', '*Dockerfile', '*.Dockerfile'],
      {
        cwd: workspaceRoot,
      },
    );
    const dirs = [
      ...new Set(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((f) => f.split('/').slice(0, -1).join('/')),
      ),
    ];
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) expect(covers(dir), dir).toBe(true);
  });
});

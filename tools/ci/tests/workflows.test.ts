// The workflows agree with the deploy plan and with the rules of issue #8: the deploy job graph
// is the plan's waitsOn for the real workspace, each deploy has its own concurrency group per
// project and environment, AWS is reached through OIDC roles only, prod waits for reviewers.
import { execFile } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
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

const exec = promisify(execFile);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  environment?: unknown;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  secrets?: unknown;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
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

  it('measures affected from the last successful deploy run', () => {
    const plan = workflow('deploy.yml').jobs['plan'];
    const setShas = plan?.steps?.find((s) => s.uses?.startsWith('nrwl/nx-set-shas@'));
    expect(setShas?.with).toMatchObject({ 'workflow-id': 'deploy.yml' });
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

// The deploy plan against the real Nx on a synthetic git history: each scenario is one commit on
// its own branch from a shared base, and the plan is made exactly as the workflows make it.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  affectedProjects,
  buildDeployPlan,
  projectGraph,
  resolveTrigger,
  type DeployPlan,
  type ProjectGraph,
} from '../src/index.ts';
import {
  createSyntheticWorkspace,
  fixtureImports,
  workspaceRoot,
  type SyntheticWorkspace,
} from './synthetic-workspace.ts';

const run = promisify(execFile);
const apps = Object.keys(fixtureImports).sort();
const onMain = resolveTrigger({ event: 'push', ref: 'refs/heads/main' });

let ws: SyntheticWorkspace;
let graph: ProjectGraph;

beforeAll(async () => {
  ws = await createSyntheticWorkspace();
  graph = await projectGraph(ws.root);
}, 120_000);

afterAll(async () => {
  await ws?.dispose();
});

async function planFor(branch: string, files: Record<string, string>): Promise<DeployPlan> {
  const head = await ws.commitOnBase(branch, files);
  const affected = await affectedProjects(ws.root, ws.baseSha, head);
  return buildDeployPlan({ graph, affected, trigger: onMain, base: ws.baseSha, head });
}

const deployed = (plan: DeployPlan) => plan.deploys.map((d) => d.project).sort();

describe('deploy plan on a synthetic history', () => {
  it('sees the fixture apps and their lib imports in the graph', () => {
    expect(Object.keys(graph.nodes)).toEqual(expect.arrayContaining([...apps, 'lake-paths']));
    for (const [app, libs] of Object.entries(fixtureImports)) {
      const targets = (graph.dependencies[app] ?? []).map((e) => e.target);
      expect(targets, app).toEqual(expect.arrayContaining([...libs]));
    }
  });

  it('deploys every app that imports libs/lake-paths when it changes', async () => {
    const plan = await planFor('change-lake-paths', {
      'libs/lake-paths/src/index.ts': 'export const version = 2;\n',
    });
    const importers = apps.filter((app) => fixtureImports[app]?.includes('lake-paths'));
    expect(importers.length).toBeGreaterThan(1);
    expect(deployed(plan)).toEqual(expect.arrayContaining(importers));
    // infrastructure imports lake-paths through iam-names; pipelines follows infrastructure.
    expect(deployed(plan)).toEqual(apps);
    expect(plan.affected).toEqual(expect.arrayContaining(['lake-paths', 'iam-names']));
  }, 60_000);

  it('deploys only dbt-runner when only dbt models change', async () => {
    const plan = await planFor('change-dbt-model', {
      'apps/dbt-runner/dbt/models/staging/stg_fmp__quotes.sql':
        'select symbol, price from {{ source("fmp", "quotes") }}\n',
    });
    expect(plan.affected).toEqual(['dbt-runner']);
    expect(deployed(plan)).toEqual(['dbt-runner']);
    expect(plan.projects).toMatchObject({
      'dbt-runner': true,
      infrastructure: false,
      pipelines: false,
      ingestion: false,
    });
  }, 60_000);

  it('deploys nothing for a docs-only change', async () => {
    const plan = await planFor('change-docs', {
      'README.md': '# Finks\n\nMore words.\n',
      'docs/architecture.md': '# Architecture\n\nA diagram.\n',
    });
    expect(plan.affected).toEqual([]);
    expect(plan.deploys).toEqual([]);
    expect(Object.values(plan.projects).every((on) => !on)).toBe(true);
  }, 60_000);

  it('deploys every app when an environment file under config/ changes', async () => {
    const plan = await planFor('change-prod-config', {
      'config/prod.yaml': 'env: prod\n',
    });
    expect(plan.affected).toContain('config');
    expect(deployed(plan)).toEqual(apps);
  }, 60_000);

  it('runs infrastructure first, then the other apps, dbt-runner and ingestion in parallel', async () => {
    const plan = await planFor('change-all-apps', {
      'apps/infrastructure/src/main.ts': 'export const stack = 2;\n',
      'apps/pipelines/src/main.ts': 'export const flows = 2;\n',
      'apps/dbt-runner/src/main.ts': 'export const models = 2;\n',
      'apps/ingestion/src/main.ts': 'export const connectors = 2;\n',
    });
    expect(plan.stages).toEqual([['infrastructure'], ['dbt-runner', 'ingestion', 'pipelines']]);
    for (const app of ['pipelines', 'dbt-runner', 'ingestion']) {
      expect(plan.deploys.find((d) => d.project === app)?.waitsOn, app).toEqual(['infrastructure']);
    }
  }, 60_000);

  it('brings every app along when only infrastructure changes (they depend on it)', async () => {
    const plan = await planFor('change-infrastructure', {
      'apps/infrastructure/src/main.ts': 'export const stack = 3;\n',
    });
    expect(plan.deploys.map((d) => d.project)).toEqual([
      'infrastructure',
      'dbt-runner',
      'ingestion',
      'pipelines',
    ]);
    expect(plan.deploys.map((d) => d.stage)).toEqual([0, 1, 1, 1]);
  }, 60_000);

  it('never brings infrastructure along for an app change', async () => {
    const plan = await planFor('change-ingestion', {
      'apps/ingestion/src/main.ts': 'export const connectors = 3;\n',
    });
    expect(deployed(plan)).toEqual(['ingestion']);
  }, 60_000);

  it('prints the plan from the CLI as JSON and Markdown, as the workflows call it', async () => {
    const head = await ws.commitOnBase('cli-run', {
      'apps/ingestion/src/main.ts': 'export const connectors = 3;\n',
    });
    const githubOutput = join(ws.root, 'github-output.txt');
    const { stdout: markdown } = await run(
      join(workspaceRoot, 'node_modules/.bin/tsx'),
      [
        join(workspaceRoot, 'tools/ci/src/cli/deploy-plan.ts'),
        `--cwd=${ws.root}`,
        `--base=${ws.baseSha}`,
        `--head=${head}`,
        '--event=pull_request',
        '--ref=refs/pull/7/merge',
        '--base-ref=develop',
        '--format=markdown',
        '--github-output',
      ],
      { cwd: ws.root, env: { ...process.env, GITHUB_OUTPUT: githubOutput } },
    );
    expect(markdown).toContain('| 1 | `ingestion` | dev | — |');
    expect(markdown).toContain('`infrastructure` (not affected)');

    const outputs = await readFile(githubOutput, 'utf8');
    const planLine = outputs.split('\n').find((line) => line.startsWith('plan='));
    const plan = JSON.parse(planLine?.slice('plan='.length) ?? 'null') as DeployPlan;
    expect(plan.trigger).toMatchObject({ kind: 'preview', environments: ['dev'] });
    expect(plan.deploys.map((d) => d.project)).toEqual(['ingestion']);
    expect(plan.projects).toMatchObject({ ingestion: true, pipelines: false });
    expect(outputs).toContain('any=true');
    expect(outputs).toContain(markdown);
  }, 90_000);
});

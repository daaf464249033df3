import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDeployPlan } from './deploy-plan.ts';
import { planToMarkdown } from './markdown.ts';
import { PlanError } from './plan-error.ts';
import type { ProjectGraph } from './project-graph.ts';
import { resolveTrigger } from './trigger.ts';

const deploy = { executor: 'nx:run-commands' };

/** The workspace's shape: four apps with deploy targets, pipelines → infrastructure, shared libs. */
function graphOf(edges: Record<string, string[]>): ProjectGraph {
  const names = new Set([...Object.keys(edges), ...Object.values(edges).flat()]);
  const apps = ['infrastructure', 'pipelines', 'dbt-runner', 'ingestion'];
  return {
    nodes: Object.fromEntries(
      [...names].map((name) => [
        name,
        {
          name,
          type: apps.includes(name) ? 'app' : 'lib',
          data: {
            root: `${apps.includes(name) ? 'apps' : 'libs'}/${name}`,
            targets: apps.includes(name) ? { test: {}, deploy } : { test: {} },
          },
        },
      ]),
    ),
    dependencies: Object.fromEntries(
      [...names].map((name) => [
        name,
        [
          ...(edges[name] ?? []).map((target) => ({ source: name, target, type: 'static' })),
          { source: name, target: 'npm:zod', type: 'static' },
        ],
      ]),
    ),
  };
}

const workspace = graphOf({
  infrastructure: ['iam-names', 'config'],
  pipelines: ['infrastructure', 'config'],
  'dbt-runner': ['lake-paths'],
  ingestion: ['lake-paths'],
  'iam-names': ['lake-paths'],
  config: [],
  'lake-paths': [],
});
const apps = ['dbt-runner', 'infrastructure', 'ingestion', 'pipelines'];
const main = resolveTrigger({ event: 'push', ref: 'refs/heads/main' });

describe('resolveTrigger', () => {
  it('maps GitFlow branches and tags to environments', () => {
    expect(main).toEqual({ kind: 'deploy', ref: 'refs/heads/main', environments: ['staging'] });
    expect(resolveTrigger({ event: 'push', ref: 'refs/heads/develop' }).environments).toEqual([
      'dev',
    ]);
    expect(resolveTrigger({ event: 'push', ref: 'refs/heads/release/1.4' })).toMatchObject({
      kind: 'preview',
      environments: ['staging', 'prod'],
    });
    expect(resolveTrigger({ event: 'push', ref: 'refs/heads/hotfix/fmp-timeout' }).kind).toBe(
      'preview',
    );
    expect(resolveTrigger({ event: 'push', ref: 'refs/heads/feature/x' }).kind).toBe('none');
    expect(resolveTrigger({ event: 'push', ref: 'refs/tags/dbt-runner@2.0.0-rc.1' })).toEqual({
      kind: 'release',
      ref: 'refs/tags/dbt-runner@2.0.0-rc.1',
      environments: ['prod'],
      project: 'dbt-runner',
      version: '2.0.0-rc.1',
    });
  });

  it('previews a pull request against the stacks its target branch deploys to', () => {
    const pr = (baseRef: string) =>
      resolveTrigger({ event: 'pull_request', ref: 'refs/pull/3/merge', baseRef });
    expect(pr('develop').environments).toEqual(['dev']);
    expect(pr('main').environments).toEqual(['staging', 'prod']);
  });

  it('rejects a tag that is not <project>@<semver>, naming the form', () => {
    for (const tag of ['v1.2.3', 'pipelines@1.2', '@1.2.3', 'pipelines@01.2.3']) {
      expect(() => resolveTrigger({ event: 'push', ref: `refs/tags/${tag}` }), tag).toThrow(
        /<project>@<semver>/,
      );
    }
  });
});

describe('buildDeployPlan', () => {
  it('orders stages by the graph and lists only the nearest waits', () => {
    const plan = buildDeployPlan({
      graph: workspace,
      affected: [...apps, 'config'],
      trigger: main,
    });
    expect(plan.stages).toEqual([['dbt-runner', 'infrastructure', 'ingestion'], ['pipelines']]);
    expect(plan.deploys.map((d) => [d.project, d.waitsOn])).toEqual([
      ['dbt-runner', []],
      ['infrastructure', []],
      ['ingestion', []],
      ['pipelines', ['infrastructure']],
    ]);
    expect(plan.deploys[3]?.concurrencyGroups).toEqual(['deploy-pipelines-staging']);
    expect(plan.deploys[0]?.awsRoleVariable).toBe('AWS_DEPLOY_ROLE_DBT_RUNNER');
  });

  it('deploys only the tagged project on a release tag, whatever changed', () => {
    const trigger = resolveTrigger({ event: 'push', ref: 'refs/tags/pipelines@1.4.0' });
    const plan = buildDeployPlan({ graph: workspace, affected: apps, trigger });
    expect(plan.deploys).toEqual([
      {
        project: 'pipelines',
        environments: ['prod'],
        stage: 0,
        waitsOn: [],
        concurrencyGroups: ['deploy-pipelines-prod'],
        awsRoleVariable: 'AWS_DEPLOY_ROLE_PIPELINES',
        reason: 'release tag',
      },
    ]);
    expect(plan.skipped.map((s) => s.reason)).toContain('the tag releases pipelines only');
  });

  it('refuses a tag for a project that cannot be deployed, listing those that can', () => {
    const tag = (name: string) => resolveTrigger({ event: 'push', ref: `refs/tags/${name}@1.0.0` });
    const attempt = (name: string) =>
      buildDeployPlan({ graph: workspace, affected: [], trigger: tag(name) });
    expect(() => attempt('lake-paths')).toThrow(PlanError);
    expect(() => attempt('lake-paths')).toThrow(/no deploy target.*infrastructure, ingestion/);
    expect(() => attempt('nope')).toThrow(/not in the workspace/);
  });

  it('deploys nothing from a feature branch push', () => {
    const trigger = resolveTrigger({ event: 'push', ref: 'refs/heads/feature/x' });
    const plan = buildDeployPlan({ graph: workspace, affected: apps, trigger });
    expect(plan.deploys).toEqual([]);
    expect(planToMarkdown(plan)).toContain('Nothing to deploy');
  });

  it('fails with a sentence on a dependency cycle between deployables', () => {
    const cyclic = graphOf({ infrastructure: ['pipelines'], pipelines: ['infrastructure'] });
    expect(() =>
      buildDeployPlan({ graph: cyclic, affected: ['infrastructure', 'pipelines'], trigger: main }),
    ).toThrow(/cycle/);
  });

  it('always puts infrastructure before pipelines, and every wait before its waiter', () => {
    const libs = ['lake-paths', 'iam-names', 'config'];
    fc.assert(
      fc.property(
        fc.subarray([...apps, ...libs]),
        fc.constantFrom('refs/heads/main', 'refs/heads/develop'),
        (affected, ref) => {
          const plan = buildDeployPlan({
            graph: workspace,
            affected,
            trigger: resolveTrigger({ event: 'push', ref }),
          });
          const order = plan.deploys.map((d) => d.project);
          if (order.includes('pipelines') && order.includes('infrastructure')) {
            expect(order.indexOf('infrastructure')).toBeLessThan(order.indexOf('pipelines'));
          }
          const stageOf = new Map(plan.deploys.map((d) => [d.project, d.stage]));
          for (const d of plan.deploys) {
            for (const w of d.waitsOn) expect(stageOf.get(w)).toBeLessThan(d.stage);
          }
          expect(order.sort()).toEqual(apps.filter((a) => affected.includes(a)));
        },
      ),
    );
  });
});

describe('planToMarkdown', () => {
  it('renders one row per deploy in order, and the skipped projects', () => {
    const plan = buildDeployPlan({
      graph: workspace,
      affected: ['infrastructure', 'pipelines', 'config'],
      trigger: main,
      base: 'a'.repeat(40),
      head: 'b'.repeat(40),
    });
    expect(planToMarkdown(plan)).toBe(
      [
        '### Deploy plan',
        '',
        'Deploys 2 project(s) to `staging` (aaaaaaa…bbbbbbb).',
        '',
        '| Stage | Project | Environments | Waits on |',
        '| --- | --- | --- | --- |',
        '| 1 | `infrastructure` | staging | — |',
        '| 2 | `pipelines` | staging | `infrastructure` |',
        '',
        'Skipped: `dbt-runner` (not affected), `ingestion` (not affected).',
        '',
        'Also affected (checked, not deployed): `config`.',
        '',
      ].join('\n'),
    );
  });
});

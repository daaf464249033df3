import { beforeAll, describe, expect, it } from 'vitest';
import { nx, nxJson, type ProjectGraph, type TaskGraph } from './workspace';

const apps = ['infrastructure', 'pipelines', 'dbt-runner', 'ingestion'] as const;
const sharedLibs = ['lake-paths', 'iam-names', 'config', 'contracts'] as const;

let graph: ProjectGraph['graph'];

beforeAll(async () => {
  graph = (await nxJson<ProjectGraph>((file) => ['graph', `--file=${file}`])).graph;
}, 120_000);

function workspaceEdges(from: string): string[] {
  return (graph.dependencies[from] ?? [])
    .map((edge) => edge.target)
    .filter((target) => !target.startsWith('npm:'));
}

describe('project graph', () => {
  it('lists the four apps and the shared libs', async () => {
    const projects = JSON.parse(await nx(['show', 'projects', '--json'])) as string[];
    expect(projects).toEqual(expect.arrayContaining([...apps, ...sharedLibs]));
    for (const app of apps) expect(graph.nodes[app]?.data.root).toBe(`apps/${app}`);
    for (const lib of sharedLibs) expect(graph.nodes[lib]?.data.root).toBe(`libs/${lib}`);
  });

  it('keeps the old build order: every other app depends on infrastructure', () => {
    // They deploy into the ECR repositories and task families infrastructure creates.
    for (const app of ['pipelines', 'dbt-runner', 'ingestion']) {
      expect(graph.dependencies[app], app).toContainEqual(
        expect.objectContaining({ target: 'infrastructure', type: 'implicit' }),
      );
    }
  });

  it('has no edge between dbt-runner and ingestion, and no other app-to-app edge', () => {
    for (const app of apps) {
      const appEdges = workspaceEdges(app).filter((t) => (apps as readonly string[]).includes(t));
      expect(appEdges, `${app} depends on apps`).toEqual(
        app === 'infrastructure' ? [] : ['infrastructure'],
      );
    }
  });

  it('counts config/<env>.yaml as an input of the config lib, so every app is affected', async () => {
    const affected = (files: string) =>
      nx(['show', 'projects', '--affected', `--files=${files}`, '--json']).then(
        (out) => JSON.parse(out) as string[],
      );
    expect((await affected('config/prod.yaml')).sort()).toEqual(
      expect.arrayContaining(['config', ...apps]),
    );
    // The edges point from the apps to infrastructure: an app change stays with the app.
    expect(await affected('apps/ingestion/src/main.ts')).toEqual(['ingestion']);
  }, 120_000);

  it('tags every project on both axes, scope and type', () => {
    for (const [name, node] of Object.entries(graph.nodes)) {
      const tags = node.data.tags ?? [];
      expect(
        tags.filter((t) => t.startsWith('scope:')),
        `${name} scope tags`,
      ).toHaveLength(1);
      expect(
        tags.filter((t) => t.startsWith('type:')),
        `${name} type tags`,
      ).toHaveLength(1);
    }
    for (const app of apps) expect(graph.nodes[app]?.data.tags).toContain('type:app');
    for (const lib of sharedLibs) {
      expect(graph.nodes[lib]?.data.tags).toEqual(
        expect.arrayContaining(['scope:shared', 'type:lib']),
      );
    }
  });
});

describe('deploy order', () => {
  it('runs infrastructure before the other apps, which do not wait on each other', async () => {
    const { tasks } = await nxJson<TaskGraph>((file) => [
      'run-many',
      '-t',
      'deploy',
      `--projects=${apps.join(',')}`,
      `--graph=${file}`,
    ]);
    const deps = (task: string) => (tasks.dependencies[task] ?? []).map((d) => d.id);
    expect(Object.keys(tasks.dependencies).sort()).toEqual(apps.map((a) => `${a}:deploy`).sort());
    expect(deps('infrastructure:deploy')).toEqual([]);
    for (const app of ['pipelines', 'dbt-runner', 'ingestion']) {
      expect(deps(`${app}:deploy`), app).toEqual(['infrastructure:deploy']);
    }
  }, 120_000);
});

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

  it('keeps the old build order: pipelines depends on infrastructure', () => {
    expect(graph.dependencies['pipelines']).toContainEqual(
      expect.objectContaining({ target: 'infrastructure', type: 'implicit' }),
    );
  });

  it('has no edge between dbt-runner and ingestion, and no other app-to-app edge', () => {
    for (const app of apps) {
      const appEdges = workspaceEdges(app).filter((t) => (apps as readonly string[]).includes(t));
      expect(appEdges, `${app} depends on apps`).toEqual(
        app === 'pipelines' ? ['infrastructure'] : [],
      );
    }
  });

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
  it('runs infrastructure before pipelines, and dbt-runner and ingestion on their own', async () => {
    const { tasks } = await nxJson<TaskGraph>((file) => [
      'run-many',
      '-t',
      'deploy',
      `--projects=${apps.join(',')}`,
      `--graph=${file}`,
    ]);
    const deps = (task: string) => (tasks.dependencies[task] ?? []).map((d) => d.id);
    expect(Object.keys(tasks.dependencies).sort()).toEqual(apps.map((a) => `${a}:deploy`).sort());
    expect(deps('pipelines:deploy')).toEqual(['infrastructure:deploy']);
    expect(deps('infrastructure:deploy')).toEqual([]);
    expect(deps('dbt-runner:deploy')).toEqual([]);
    expect(deps('ingestion:deploy')).toEqual([]);
  }, 120_000);
});

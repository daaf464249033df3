// The parts of Nx's output the deploy plan reads, checked with zod so a changed Nx format fails
// here with a path to the field, not later as an undefined somewhere in the plan.
import { z } from 'zod';

const graphNode = z.object({
  name: z.string(),
  type: z.string(),
  data: z.object({
    root: z.string(),
    tags: z.array(z.string()).optional(),
    targets: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** `nx graph --file=graph.json` */
export const nxGraphFileSchema = z.object({
  graph: z.object({
    nodes: z.record(z.string(), graphNode),
    dependencies: z.record(
      z.string(),
      z.array(z.object({ source: z.string(), target: z.string(), type: z.string() })),
    ),
  }),
});

/** `nx show projects --affected --json` */
export const affectedProjectsSchema = z.array(z.string());

export type NxGraphFile = z.infer<typeof nxGraphFileSchema>;
export type ProjectGraph = NxGraphFile['graph'];

/** Names of the projects that have a `deploy` target: the only ones a plan can deploy. */
export function deployableProjects(graph: ProjectGraph): string[] {
  return Object.entries(graph.nodes)
    .filter(([, node]) => node.data.targets?.['deploy'] !== undefined)
    .map(([name]) => name)
    .sort();
}

/** Every workspace project `project` depends on, directly or through libs (npm packages left out). */
export function transitiveDependencies(graph: ProjectGraph, project: string): Set<string> {
  const seen = new Set<string>();
  const stack = [project];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const edge of graph.dependencies[current] ?? []) {
      if (edge.target in graph.nodes && !seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  seen.delete(project);
  return seen;
}

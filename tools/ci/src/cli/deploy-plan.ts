// deploy-plan: prints the deploy plan for a range of commits as JSON or Markdown.
//
//   tsx tools/ci/src/cli/deploy-plan.ts --base <sha> --head <sha> [--format json|markdown]
//       [--event push --ref refs/heads/main] [--github-output]
//
// --event/--ref/--base-ref default to GitHub's GITHUB_EVENT_NAME/GITHUB_REF/GITHUB_BASE_REF.
// --affected-file and --graph-file read saved `nx show projects --affected --json` and
// `nx graph --file` output instead of running nx. --github-output appends `plan` (compact JSON)
// and `markdown` to $GITHUB_OUTPUT for later jobs. node:util's parseArgs is enough for these
// flags; no CLI library needed.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildDeployPlan } from '../deploy-plan.ts';
import { planToMarkdown } from '../markdown.ts';
import { affectedProjects, parseGraphFile, projectGraph } from '../nx.ts';
import { PlanError } from '../plan-error.ts';
import { affectedProjectsSchema } from '../project-graph.ts';
import { resolveTrigger } from '../trigger.ts';

const usage =
  'usage: deploy-plan --base <sha> --head <sha> [--event <name>] [--ref <ref>] [--base-ref <branch>]\n' +
  '       [--format json|markdown] [--out <file>] [--github-output] [--cwd <workspace>]\n' +
  '       [--affected-file <json> --graph-file <json>]';

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      event: { type: 'string', default: process.env['GITHUB_EVENT_NAME'] ?? 'push' },
      ref: { type: 'string', default: process.env['GITHUB_REF'] ?? 'refs/heads/main' },
      'base-ref': { type: 'string', default: process.env['GITHUB_BASE_REF'] ?? '' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      'github-output': { type: 'boolean', default: false },
      cwd: { type: 'string', default: process.cwd() },
      'affected-file': { type: 'string' },
      'graph-file': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (values.format !== 'json' && values.format !== 'markdown') {
    throw new PlanError('nx', `--format must be json or markdown, not "${values.format}".`);
  }

  const workspace = values.cwd;
  const trigger = resolveTrigger({
    event: values.event,
    ref: values.ref,
    ...(values['base-ref'] ? { baseRef: values['base-ref'] } : {}),
  });

  const graph = values['graph-file']
    ? parseGraphFile(await readFile(values['graph-file'], 'utf8'))
    : await projectGraph(workspace);
  let affected: string[];
  if (values['affected-file']) {
    affected = affectedProjectsSchema.parse(
      JSON.parse(await readFile(values['affected-file'], 'utf8')),
    );
  } else if (trigger.kind === 'release' || trigger.kind === 'none') {
    // A release tag deploys the tagged project whatever changed; nothing else needs the diff.
    affected = [];
  } else {
    if (!values.base || !values.head)
      throw new PlanError('nx', `--base and --head are required.\n${usage}`);
    affected = await affectedProjects(workspace, values.base, values.head);
  }

  const plan = buildDeployPlan({
    graph,
    affected,
    trigger,
    ...(values.base ? { base: values.base } : {}),
    ...(values.head ? { head: values.head } : {}),
  });
  const markdown = planToMarkdown(plan);
  const text = values.format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : markdown;

  if (values.out) await writeFile(values.out, text);
  else process.stdout.write(text);

  if (values['github-output']) {
    const outputFile = process.env['GITHUB_OUTPUT'];
    if (!outputFile) throw new PlanError('nx', '--github-output needs GITHUB_OUTPUT to be set.');
    const delimiter = `PLAN_MARKDOWN_${Date.now()}`;
    await appendFile(
      outputFile,
      `plan=${JSON.stringify(plan)}\nany=${plan.deploys.length > 0}\n` +
        `markdown<<${delimiter}\n${markdown}${delimiter}\n`,
    );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`deploy-plan: ${message}\n`);
  process.exitCode = 1;
});

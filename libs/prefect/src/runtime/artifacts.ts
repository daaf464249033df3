import { currentRunContext, enclosingFlow } from './context';
import { checkArtifactKey } from './keys';
import { currentRuntime } from './runtime';

export interface ArtifactOptions {
  /** Versioned name: artifacts with the same key are versions of one (lowercase, digits, dashes). */
  readonly key?: string;
  readonly description?: string;
}

export type TableRow = Readonly<Record<string, unknown>>;

function runIds(): { flowRunId?: string; taskRunId?: string } {
  const context = currentRunContext();
  const flowRunId = enclosingFlow(context)?.flowRunId;
  return {
    ...(flowRunId !== undefined ? { flowRunId } : {}),
    ...(context?.kind === 'task' ? { taskRunId: context.taskRunId } : {}),
  };
}

async function createArtifact(
  type: 'markdown' | 'table',
  data: string,
  consoleText: string,
  options: ArtifactOptions,
): Promise<string | undefined> {
  if (options.key !== undefined) checkArtifactKey(options.key);
  const runtime = currentRuntime();
  const context = currentRunContext();
  if (runtime.orchestrator.mode === 'local') {
    const label = `${type} artifact${options.key ? ` '${options.key}'` : ''}`;
    const line = `Created ${label}:\n${consoleText}`;
    if (context) context.logger.info(line);
    else process.stderr.write(`${line}\n`);
    return undefined;
  }
  return runtime.orchestrator.createArtifact({
    type,
    data,
    ...runIds(),
    ...(options.key !== undefined ? { key: options.key } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
  });
}

/**
 * Attaches a markdown artifact to the current flow or task run. Returns the artifact id, or
 * undefined when running locally (the markdown is printed instead).
 */
export function createMarkdownArtifact(
  markdown: string,
  options: ArtifactOptions = {},
): Promise<string | undefined> {
  return createArtifact('markdown', markdown, markdown, options);
}

/**
 * Attaches a table artifact to the current run. Prefect stores table data as a JSON *string*
 * of row objects (the UI parses it: ui-v2 `detail-table.tsx`), which is what this sends.
 */
export function createTableArtifact(
  rows: readonly TableRow[],
  options: ArtifactOptions = {},
): Promise<string | undefined> {
  const data = JSON.stringify(rows);
  const text = rows.map((row) => JSON.stringify(row)).join('\n');
  return createArtifact('table', data, text, options);
}

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isFlow, type AnyFlow } from '../runtime/flow';

/** `path/to/flows.ts:exportName` → its parts (Prefect's entrypoint format). */
export function splitEntrypoint(entrypoint: string): {
  file: string;
  exportName: string | undefined;
} {
  const colon = entrypoint.lastIndexOf(':');
  // A colon at index 1 is a Windows drive letter, not an export separator.
  if (colon <= 1) return { file: entrypoint, exportName: undefined };
  return { file: entrypoint.slice(0, colon), exportName: entrypoint.slice(colon + 1) };
}

/** Imports an entrypoint's module and returns the flow it names (or its only flow). */
export async function loadFlowFromEntrypoint(
  entrypoint: string,
  baseDir: string = process.cwd(),
): Promise<AnyFlow> {
  const { file, exportName } = splitEntrypoint(entrypoint);
  const module = (await import(pathToFileURL(resolve(baseDir, file)).href)) as Record<
    string,
    unknown
  >;
  if (exportName !== undefined) {
    const candidate = module[exportName];
    if (!isFlow(candidate)) {
      throw new Error(`${file} exports no flow named "${exportName}" (wrap it with flow()).`);
    }
    return candidate;
  }
  const flows = Object.values(module).filter(isFlow);
  if (flows.length !== 1) {
    throw new Error(
      `${file} exports ${flows.length} flows; name one in the entrypoint as "${file}:<export>".`,
    );
  }
  return flows[0] as AnyFlow;
}

/** What a worker sends a standby flow process (flow-run-entry.ts `--standby`) over IPC. */
export interface FlowRunAssignment {
  readonly flowRunId: string;
  readonly entrypoint: string;
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** The run's parameters as the worker read them (saves the process a request). */
  readonly parameters?: Record<string, unknown>;
}

// The correlation id of a flow: the id handed down by the parent flow when there is one, else
// this run's Prefect flow run id, else a local id. It travels to every connector, Glue argument,
// dbt invocation, log line and metric, and ends up on the gold rows.
import { getRunContext } from '@finks/prefect';
import { z } from 'zod';

export const correlationParameter = {
  correlationId: z
    .string()
    .regex(/^[\w.:-]{1,128}$/, 'letters, digits, and . _ : - only (at most 128)')
    .optional()
    .describe("The master flow's id, passed down to subflows; default: this flow run's id"),
};

export function correlationIdOf(params: { correlationId?: string | undefined }): string {
  return (
    params.correlationId ??
    getRunContext()?.flowRunId ??
    `local-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  );
}

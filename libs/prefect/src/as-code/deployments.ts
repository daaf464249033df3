import type { ZodType } from 'zod';
import { timeZoneProblem } from '@finks/config';
import { unwrap, unwrapOptional, type PrefectClient, type PrefectSchemas } from '../client/client';
import { PrefectArgumentError } from '../errors/prefect-argument-error';
import type { AnyFlow } from '../runtime/flow';
import { sameJson, type Applied } from './apply-result';
import { applyFlow } from './flows';
import { parameterSchemaFromZod } from './parameter-schema';

export interface CronScheduleSpec {
  /** Five-field cron expression, e.g. `30 6 * * 1-5`. */
  readonly cron: string;
  /** A time zone Prefect accepts (`timeZoneProblem` of @finks/config), e.g. `America/New_York`. */
  readonly timezone: string;
  readonly active?: boolean;
  /** Stable handle for this schedule within the deployment. */
  readonly slug?: string;
  /** Cron's day-of-month/day-of-week OR semantics (default true, as cron). */
  readonly dayOr?: boolean;
  /** Parameters that override the deployment's for runs of this schedule. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export interface DeploymentSpec {
  /** The flow (its name and zod parameter schema are used) or just a flow name. */
  readonly flow: AnyFlow | string;
  readonly name: string;
  /** `path/to/file.ts:exportName`, relative to `path` (or the worker's working directory). */
  readonly entrypoint: string;
  /** Directory the worker resolves the entrypoint in (an absolute path on the worker's host). */
  readonly path?: string;
  readonly workPool: string;
  /** Default `default` (the queue every pool has). */
  readonly workQueue?: string;
  readonly schedules?: readonly CronScheduleSpec[];
  /** Default parameter values for runs of this deployment. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Default: the flow's `parameters` option. Becomes `parameter_openapi_schema`. */
  readonly parameterSchema?: ZodType;
  /** Reject runs whose parameters do not match the schema (default: when there is a schema). */
  readonly enforceParameterSchema?: boolean;
  readonly tags?: readonly string[];
  readonly description?: string;
  readonly version?: string;
  readonly paused?: boolean;
  readonly concurrencyLimit?: number;
  /** Values for the pool's job variables (see the base job template). */
  readonly jobVariables?: Readonly<Record<string, unknown>>;
}

type Deployment = PrefectSchemas['DeploymentResponse'];
type DeploymentBody = Omit<PrefectSchemas['DeploymentCreate'], 'flow_id' | 'name'>;

const CRON_FIELDS = /^\S+(\s+\S+){4}$/;

/**
 * Refuses a schedule time zone the Prefect server would refuse. The rule is @finks/config's, so a
 * name that passed config validation cannot fail here and the other way round.
 */
export function checkTimezone(timezone: string): void {
  const problem = timeZoneProblem(timezone);
  if (problem !== undefined) {
    throw new PrefectArgumentError(`Schedule time zone: ${problem}.`);
  }
}

function desiredBody(spec: DeploymentSpec): DeploymentBody {
  const flow = typeof spec.flow === 'string' ? undefined : spec.flow;
  const schema = spec.parameterSchema ?? flow?.options.parameters;
  for (const schedule of spec.schedules ?? []) {
    if (!CRON_FIELDS.test(schedule.cron.trim())) {
      throw new PrefectArgumentError(
        `Schedule "${schedule.cron}" of deployment "${spec.name}" is not a five-field cron expression.`,
      );
    }
    checkTimezone(schedule.timezone);
  }
  return {
    entrypoint: spec.entrypoint,
    path: spec.path ?? null,
    work_pool_name: spec.workPool,
    work_queue_name: spec.workQueue ?? 'default',
    parameters: { ...(spec.parameters ?? {}) },
    parameter_openapi_schema: schema
      ? parameterSchemaFromZod(schema)
      : { title: 'Parameters', type: 'object', properties: {} },
    enforce_parameter_schema: spec.enforceParameterSchema ?? schema !== undefined,
    tags: [...(spec.tags ?? [])],
    description: spec.description ?? null,
    version: spec.version ?? null,
    paused: spec.paused ?? false,
    concurrency_limit: spec.concurrencyLimit ?? null,
    job_variables: { ...(spec.jobVariables ?? {}) },
    schedules: sortSchedules(
      (spec.schedules ?? []).map((schedule) => ({
        schedule: {
          cron: schedule.cron.trim(),
          timezone: schedule.timezone,
          day_or: schedule.dayOr ?? true,
        },
        active: schedule.active ?? true,
        slug: schedule.slug ?? null,
        parameters: { ...(schedule.parameters ?? {}) },
      })),
    ),
  };
}

type ScheduleBody = NonNullable<DeploymentBody['schedules']>[number];

/** The server lists schedules in its own order; compare them sorted. */
function sortSchedules(schedules: ScheduleBody[]): ScheduleBody[] {
  return schedules.sort((a, b) => {
    const left = JSON.stringify([a.slug, a.schedule]);
    const right = JSON.stringify([b.slug, b.schedule]);
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

/** The fields of an existing deployment that `desiredBody` sets, in the same shape. */
function currentBody(existing: Deployment): DeploymentBody {
  return {
    entrypoint: existing.entrypoint ?? null,
    path: existing.path ?? null,
    work_pool_name: existing.work_pool_name ?? null,
    work_queue_name: existing.work_queue_name ?? null,
    parameters: existing.parameters ?? {},
    parameter_openapi_schema: existing.parameter_openapi_schema ?? null,
    enforce_parameter_schema: existing.enforce_parameter_schema ?? false,
    tags: existing.tags ?? [],
    description: existing.description ?? null,
    version: existing.version ?? null,
    paused: existing.paused ?? false,
    concurrency_limit: existing.concurrency_limit ?? null,
    job_variables: existing.job_variables ?? {},
    schedules: sortSchedules(
      (existing.schedules ?? []).map((schedule) => {
        const cron = schedule.schedule as {
          cron?: string;
          timezone?: string | null;
          day_or?: boolean;
        };
        return {
          schedule: {
            cron: cron.cron ?? '',
            timezone: cron.timezone ?? 'UTC',
            day_or: cron.day_or ?? true,
          },
          active: schedule.active ?? true,
          slug: schedule.slug ?? null,
          parameters: schedule.parameters ?? {},
        };
      }),
    ),
  };
}

/**
 * Creates or updates a deployment so that it matches `spec`, idempotently: when the server
 * already holds exactly this deployment nothing is written (an upsert would otherwise delete
 * and recreate the runs the scheduler made). Ensures the flow exists; the pool must exist.
 */
export async function applyDeployment(
  client: PrefectClient,
  spec: DeploymentSpec,
): Promise<Applied<Deployment>> {
  const { api } = client;
  const flowName = typeof spec.flow === 'string' ? spec.flow : spec.flow.flowName;
  const desired = desiredBody(spec);
  const existing = await unwrapOptional(
    api.GET('/deployments/name/{flow_name}/{deployment_name}', {
      params: { path: { flow_name: flowName, deployment_name: spec.name } },
    }),
  );
  if (existing && sameJson(currentBody(existing), desired)) {
    return { action: 'unchanged', id: existing.id, object: existing };
  }
  const flow = await applyFlow(client, { name: flowName });
  // POST /deployments/ upserts on (flow, name) and replaces the schedules.
  const saved = await unwrap(
    api.POST('/deployments/', { body: { ...desired, name: spec.name, flow_id: flow.id } }),
  );
  return { action: existing ? 'updated' : 'created', id: saved.id, object: saved };
}

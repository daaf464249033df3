import { randomUUID } from 'node:crypto';
import { unwrap, unwrapOptional, type PrefectClient, type PrefectSchemas } from '../client/client';
import type { OrchestrationResult, State, StateCreate, StateType } from './states';

export type RunKind = 'flow' | 'task';
export type TaskInputs = NonNullable<PrefectSchemas['TaskRunCreate']['task_inputs']>;
type TaskRunPolicy = NonNullable<PrefectSchemas['TaskRunCreate']['empirical_policy']>;

export interface FlowRunSpec {
  readonly flowName: string;
  readonly flowVersion?: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly tags: readonly string[];
  readonly retries?: number;
  readonly retryDelaySeconds?: number;
  readonly parentTaskRunId?: string;
  /**
   * The state the run is created in (default PENDING). A run created RUNNING or FAILED gets it
   * without the core flow policy (the server forces a creation state), which is only right for
   * an ad-hoc run nothing else can hold back: no deployment, no schedule, no prior state.
   */
  readonly initialState?: StateCreate;
}

export interface TaskRunSpec {
  readonly id: string;
  readonly flowRunId: string | undefined;
  readonly taskKey: string;
  readonly dynamicKey: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly retries: number;
  readonly retryDelaySeconds: number | readonly number[];
  readonly retryJitterFactor?: number;
  readonly taskInputs: TaskInputs;
  readonly cacheKey?: string;
  readonly cacheExpiration?: Date;
  readonly initialState: StateCreate;
}

export interface RunRecord {
  readonly id: string;
  readonly name: string;
  readonly state: State | null;
}

export interface FlowRunRecord extends RunRecord {
  readonly flowId: string;
  readonly parameters: Record<string, unknown>;
  readonly deploymentId: string | null;
  readonly retries: number | null;
  readonly tags: readonly string[];
  readonly runCount: number;
}

export interface ArtifactSpec {
  readonly type: 'markdown' | 'table';
  readonly key?: string;
  readonly description?: string;
  readonly data: string;
  readonly flowRunId?: string;
  readonly taskRunId?: string;
}

/**
 * What the runtime needs from "a Prefect": the REST API, or a local stand-in that applies the
 * same retry and cache rules in memory when no API is configured.
 */
export interface Orchestrator {
  readonly mode: 'api' | 'local';
  createFlowRun(spec: FlowRunSpec): Promise<FlowRunRecord>;
  readFlowRun(id: string): Promise<FlowRunRecord>;
  /** Sets `empirical_policy.retries`/`retry_delay` on a deployment run that has none. */
  setFlowRunRetries(id: string, retries: number, retryDelaySeconds: number): Promise<void>;
  createTaskRun(spec: TaskRunSpec): Promise<RunRecord>;
  setState(
    kind: RunKind,
    id: string,
    state: StateCreate,
    force?: boolean,
  ): Promise<OrchestrationResult>;
  createArtifact(spec: ArtifactSpec): Promise<string>;
}

/**
 * Flow ids by name, per client: a flow's id never changes, and a runtime configured again with
 * the same client (between tests, in the bench) need not ask for it again.
 */
const flowIdsByClient = new WeakMap<PrefectClient, Map<string, Promise<string>>>();

export class ApiOrchestrator implements Orchestrator {
  readonly mode = 'api';
  private readonly flowIds: Map<string, Promise<string>>;

  constructor(readonly client: PrefectClient) {
    let flowIds = flowIdsByClient.get(client);
    if (!flowIds) {
      flowIds = new Map();
      flowIdsByClient.set(client, flowIds);
    }
    this.flowIds = flowIds;
  }

  /** `POST /events`: the server publishes them to its services (e.g. the TaskRunRecorder). */
  async emitEvents(events: readonly PrefectSchemas['Event'][]): Promise<void> {
    await unwrap(this.client.api.POST('/events', { body: [...events] }));
  }

  /** How many of these task runs the server shows in a final state. */
  async countFinalTaskRuns(ids: readonly string[]): Promise<number> {
    let count = 0;
    for (let start = 0; start < ids.length; start += 200) {
      count += await unwrap(
        this.client.api.POST('/task_runs/count', {
          body: {
            task_runs: {
              id: { any_: ids.slice(start, start + 200) },
              state: { type: { any_: ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'] } },
            },
          },
        }),
      );
    }
    return count;
  }

  async readTaskRunState(id: string): Promise<State | null | undefined> {
    const run = await unwrapOptional(
      this.client.api.GET('/task_runs/{id}', { params: { path: { id } } }),
    );
    return run?.state;
  }

  private flowId(name: string): Promise<string> {
    let id = this.flowIds.get(name);
    if (!id) {
      // POST /flows/ is idempotent by name: it returns the existing flow.
      id = unwrap(this.client.api.POST('/flows/', { body: { name } })).then((flow) => flow.id);
      id.catch(() => this.flowIds.delete(name));
      this.flowIds.set(name, id);
    }
    return id;
  }

  async createFlowRun(spec: FlowRunSpec): Promise<FlowRunRecord> {
    const flowId = await this.flowId(spec.flowName);
    const run = await unwrap(
      this.client.api.POST('/flow_runs/', {
        body: {
          flow_id: flowId,
          parameters: { ...spec.parameters },
          tags: [...spec.tags],
          state: spec.initialState ?? { type: 'PENDING' },
          empirical_policy: {
            retries: spec.retries ?? 0,
            retry_delay: spec.retryDelaySeconds ?? 0,
          },
          // Makes the create safe to retry: a repeated request returns the same run.
          idempotency_key: randomUUID(),
          ...(spec.flowVersion !== undefined ? { flow_version: spec.flowVersion } : {}),
          ...(spec.parentTaskRunId !== undefined
            ? { parent_task_run_id: spec.parentTaskRunId }
            : {}),
        },
      }),
    );
    return toFlowRunRecord(run);
  }

  async readFlowRun(id: string): Promise<FlowRunRecord> {
    const run = await unwrap(this.client.api.GET('/flow_runs/{id}', { params: { path: { id } } }));
    return toFlowRunRecord(run);
  }

  async setFlowRunRetries(id: string, retries: number, retryDelaySeconds: number): Promise<void> {
    const run = await unwrap(this.client.api.GET('/flow_runs/{id}', { params: { path: { id } } }));
    await unwrap(
      this.client.api.PATCH('/flow_runs/{id}', {
        params: { path: { id } },
        body: {
          empirical_policy: {
            ...(run.empirical_policy ?? {}),
            retries,
            retry_delay: retryDelaySeconds,
          },
        },
      }),
    );
  }

  async createTaskRun(spec: TaskRunSpec): Promise<RunRecord> {
    const run = await unwrap(
      this.client.api.POST('/task_runs/', {
        body: {
          id: spec.id,
          name: spec.name,
          flow_run_id: spec.flowRunId ?? null,
          task_key: spec.taskKey,
          dynamic_key: spec.dynamicKey,
          tags: [...spec.tags],
          task_inputs: spec.taskInputs,
          empirical_policy: taskRunPolicy(spec),
          ...(spec.cacheKey !== undefined ? { cache_key: spec.cacheKey } : {}),
          ...(spec.cacheExpiration ? { cache_expiration: spec.cacheExpiration.toISOString() } : {}),
          state: spec.initialState,
        },
      }),
    );
    return { id: run.id, name: run.name ?? spec.name, state: run.state ?? null };
  }

  async setState(
    kind: RunKind,
    id: string,
    state: StateCreate,
    force = false,
  ): Promise<OrchestrationResult> {
    const init = { params: { path: { id } }, body: { state, force } };
    return kind === 'flow'
      ? unwrap(this.client.api.POST('/flow_runs/{id}/set_state', init))
      : unwrap(this.client.api.POST('/task_runs/{id}/set_state', init));
  }

  async createArtifact(spec: ArtifactSpec): Promise<string> {
    const artifact = await unwrap(
      this.client.api.POST('/artifacts/', {
        body: {
          type: spec.type,
          data: spec.data,
          ...(spec.key !== undefined ? { key: spec.key } : {}),
          ...(spec.description !== undefined ? { description: spec.description } : {}),
          ...(spec.flowRunId !== undefined ? { flow_run_id: spec.flowRunId } : {}),
          ...(spec.taskRunId !== undefined ? { task_run_id: spec.taskRunId } : {}),
        },
      }),
    );
    if (!artifact.id) throw new Error('POST /artifacts/ returned an artifact without an id.');
    return artifact.id;
  }
}

/** A task run's retry policy as the API takes it (in TaskRunCreate and in task-run events). */
export function taskRunPolicy(
  spec: Pick<TaskRunSpec, 'retries' | 'retryDelaySeconds' | 'retryJitterFactor'>,
): TaskRunPolicy {
  return {
    retries: spec.retries,
    retry_delay:
      typeof spec.retryDelaySeconds === 'number'
        ? spec.retryDelaySeconds
        : [...spec.retryDelaySeconds],
    ...(spec.retryJitterFactor !== undefined
      ? { retry_jitter_factor: spec.retryJitterFactor }
      : {}),
  };
}

function toFlowRunRecord(run: PrefectSchemas['FlowRunResponse']): FlowRunRecord {
  return {
    id: run.id,
    name: run.name ?? run.id,
    state: run.state ?? null,
    flowId: run.flow_id,
    parameters: { ...(run.parameters ?? {}) },
    deploymentId: run.deployment_id ?? null,
    retries: run.empirical_policy?.retries ?? null,
    tags: run.tags ?? [],
    runCount: run.run_count ?? 0,
  };
}

interface LocalRun {
  readonly kind: RunKind;
  readonly name: string;
  state: State | null;
  runCount: number;
  readonly retries: number;
  readonly retryDelaySeconds: number | readonly number[];
}

const ADJECTIVES = ['amber', 'brisk', 'calm', 'daring', 'eager', 'fuzzy', 'gentle', 'hidden'];
const ANIMALS = ['otter', 'heron', 'lynx', 'marten', 'ibis', 'gecko', 'bison', 'wren'];

/**
 * Stands in for the server when no API is configured, so the same flows run locally: it keeps
 * states in memory and applies the rules a local run notices — retries (RetryFailedFlows,
 * RetryFailedTasks), waiting for a scheduled retry time, and the task cache.
 */
export class LocalOrchestrator implements Orchestrator {
  readonly mode = 'local';
  private readonly runs = new Map<string, LocalRun>();
  private readonly cache = new Map<string, { state: State; expires: number | undefined }>();

  async createFlowRun(spec: FlowRunSpec): Promise<FlowRunRecord> {
    const id = randomUUID();
    const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
    const name = `${pick(ADJECTIVES)}-${pick(ANIMALS)}`;
    this.runs.set(id, {
      kind: 'flow',
      name,
      state: null,
      runCount: 0,
      retries: spec.retries ?? 0,
      retryDelaySeconds: spec.retryDelaySeconds ?? 0,
    });
    // Forced, like the server's creation state: no rule applies, the run count still moves.
    const created = await this.setState('flow', id, spec.initialState ?? { type: 'PENDING' }, true);
    return {
      id,
      name,
      state: created.state,
      flowId: spec.flowName,
      parameters: { ...spec.parameters },
      deploymentId: null,
      retries: spec.retries ?? 0,
      tags: spec.tags,
      runCount: this.runs.get(id)?.runCount ?? 0,
    };
  }

  async readFlowRun(id: string): Promise<FlowRunRecord> {
    throw new Error(`No Prefect API is configured, so flow run ${id} cannot be read.`);
  }

  async setFlowRunRetries(): Promise<void> {}

  async createTaskRun(spec: TaskRunSpec): Promise<RunRecord> {
    this.runs.set(spec.id, {
      kind: 'task',
      name: spec.name,
      state: null,
      runCount: 0,
      retries: spec.retries,
      retryDelaySeconds: spec.retryDelaySeconds,
    });
    const result = await this.setState('task', spec.id, spec.initialState, true);
    return { id: spec.id, name: spec.name, state: result.state };
  }

  async setState(
    _kind: RunKind,
    id: string,
    proposed: StateCreate,
    force = false,
  ): Promise<OrchestrationResult> {
    const run = this.runs.get(id);
    if (!run) throw new Error(`Unknown local run ${id}.`);
    const current = run.state;
    const cacheKey = proposed.state_details?.cache_key ?? undefined;

    if (!force && proposed.type === 'RUNNING') {
      const scheduled = current?.state_details?.scheduled_time;
      const delayMs = scheduled ? Date.parse(scheduled) - Date.now() : 0;
      if (current?.type === 'SCHEDULED' && delayMs > 500) {
        return this.result('WAIT', null, Math.round(delayMs / 1000));
      }
      const cached = cacheKey !== undefined ? this.cache.get(cacheKey) : undefined;
      if (cached && (cached.expires === undefined || cached.expires > Date.now())) {
        const state = this.stamp({ ...cached.state, name: 'Cached' });
        run.state = state;
        return this.result('REJECT', state);
      }
    }
    if (!force && current?.type === 'RUNNING' && proposed.type === 'FAILED') {
      if (run.runCount <= run.retries) {
        const delays = run.retryDelaySeconds;
        const delay =
          typeof delays === 'number'
            ? delays
            : (delays[Math.min(run.runCount - 1, delays.length - 1)] ?? 0);
        const state = this.stamp({
          type: 'SCHEDULED',
          name: 'AwaitingRetry',
          message: proposed.message ?? null,
          state_details: { scheduled_time: new Date(Date.now() + delay * 1000).toISOString() },
        });
        run.state = state;
        return this.result('REJECT', state);
      }
    }
    let name = proposed.name ?? undefined;
    if (proposed.type === 'RUNNING') {
      if (run.runCount > 0) name = current?.name === 'AwaitingRetry' ? 'Retrying' : 'Rerunning';
      run.runCount += 1;
    }
    const state = this.stamp({ ...proposed, ...(name !== undefined ? { name } : {}) });
    run.state = state;
    if (proposed.type === 'COMPLETED' && cacheKey !== undefined) {
      const expiration = proposed.state_details?.cache_expiration;
      this.cache.set(cacheKey, { state, expires: expiration ? Date.parse(expiration) : undefined });
    }
    return this.result('ACCEPT', state);
  }

  async createArtifact(): Promise<string> {
    return randomUUID();
  }

  private stamp(state: StateCreate & { type: StateType }): State {
    return {
      ...state,
      id: randomUUID(),
      name: state.name ?? capitalize(state.type),
      timestamp: new Date().toISOString(),
    };
  }

  private result(
    status: OrchestrationResult['status'],
    state: State | null,
    delaySeconds?: number,
  ): OrchestrationResult {
    return {
      status,
      state,
      details:
        status === 'WAIT'
          ? { type: 'wait_details', delay_seconds: delaySeconds ?? 0 }
          : status === 'REJECT'
            ? { type: 'reject_details' }
            : { type: 'accept_details' },
    };
  }
}

export function capitalize(type: string): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

import { randomUUID } from 'node:crypto';
import type { PrefectSchemas } from '../client/client';

export type StateType = PrefectSchemas['StateType'];
export type State = PrefectSchemas['State'];
export type StateCreate = PrefectSchemas['StateCreate'];
export type OrchestrationResult = PrefectSchemas['OrchestrationResult'];

export const FINAL_STATE_TYPES: ReadonlySet<StateType> = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'CRASHED',
]);

export function isFinal(type: StateType | null | undefined): boolean {
  return type !== null && type !== undefined && FINAL_STATE_TYPES.has(type);
}

export interface StateSpec {
  readonly type: StateType;
  readonly name?: string;
  readonly message?: string;
  readonly data?: unknown;
  readonly scheduledTime?: Date;
  readonly cacheKey?: string;
  readonly cacheExpiration?: Date;
}

/**
 * The body of one state proposal. Every proposal carries a fresh `transition_id`: if an HTTP
 * retry repeats a proposal the server already accepted, PreventDuplicateTransitions answers
 * REJECT with the current state instead of applying it twice (PrefectHQ/prefect#10263).
 */
export function stateCreate(spec: StateSpec): StateCreate {
  return {
    type: spec.type,
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    ...(spec.message !== undefined ? { message: spec.message } : {}),
    ...(spec.data !== undefined ? { data: spec.data } : {}),
    state_details: {
      transition_id: randomUUID(),
      ...(spec.scheduledTime ? { scheduled_time: spec.scheduledTime.toISOString() } : {}),
      ...(spec.cacheKey !== undefined ? { cache_key: spec.cacheKey } : {}),
      ...(spec.cacheExpiration ? { cache_expiration: spec.cacheExpiration.toISOString() } : {}),
    },
  };
}

/** Result values of cached task runs travel in the state's `data` under this marker. */
export const INLINE_RESULT_TYPE = 'finks-inline-json';

export interface InlineResult {
  readonly type: typeof INLINE_RESULT_TYPE;
  readonly value: unknown;
}

export function inlineResult(value: unknown): InlineResult | undefined {
  if (value === undefined) return { type: INLINE_RESULT_TYPE, value: null };
  try {
    // Only values that survive JSON unchanged in shape can be restored from a cache hit.
    return { type: INLINE_RESULT_TYPE, value: JSON.parse(JSON.stringify(value)) as unknown };
  } catch {
    return undefined;
  }
}

export function readInlineResult(data: unknown): { found: boolean; value: unknown } {
  if (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === INLINE_RESULT_TYPE
  ) {
    return { found: true, value: (data as InlineResult).value };
  }
  return { found: false, value: undefined };
}

/** Message for a FAILED state, like Prefect's "Task run encountered an exception …". */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

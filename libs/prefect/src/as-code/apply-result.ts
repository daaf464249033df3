/** What an apply did: the second apply of the same spec must report `unchanged`. */
export type ApplyAction = 'created' | 'updated' | 'unchanged';

export interface Applied<T> {
  readonly action: ApplyAction;
  readonly id: string;
  readonly object: T;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Deep equality that ignores key order and undefined members (JSON semantics). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Whether everything `desired` states is also in `actual`: objects are compared key by key
 * on the desired keys only (the server adds defaults and ids), arrays element by element with
 * equal length, scalars by value.
 */
export function isSubset(desired: unknown, actual: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(actual) &&
      actual.length === desired.length &&
      desired.every((item, index) => isSubset(item, actual[index]))
    );
  }
  if (typeof desired === 'object' && desired !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(desired).every(
      ([key, value]) => value === undefined || isSubset(value, record[key]),
    );
  }
  return desired === actual;
}

import { createHash } from 'node:crypto';
import { PrefectArgumentError } from '../errors/prefect-argument-error';

/**
 * `task_key` as Prefect builds it (`src/prefect/tasks.py`, `_generate_task_key`): a readable
 * name plus a short hash of the function's source, so that two different functions registered
 * under one name do not share task runs.
 */
export function taskKeyFor(name: string, fn: (...args: never[]) => unknown): string {
  const hash = createHash('sha256').update(fn.toString()).digest('hex').slice(0, 8);
  return `${name}-${hash}`;
}

// src/prefect/types/names.py: most names may not contain these characters.
const FORBIDDEN_NAME_CHARACTERS = /[/%&><]/;

export function checkRunName(kind: 'flow' | 'task', name: string): void {
  if (name.trim() === '') throw new PrefectArgumentError(`A ${kind} needs a non-empty name.`);
  if (FORBIDDEN_NAME_CHARACTERS.test(name)) {
    throw new PrefectArgumentError(
      `The ${kind} name "${name}" contains one of / % & > <, which Prefect refuses in names.`,
    );
  }
}

const ARTIFACT_KEY = /^[a-z0-9-]+$/;

export function checkArtifactKey(key: string): void {
  if (!ARTIFACT_KEY.test(key)) {
    throw new PrefectArgumentError(
      `Artifact key "${key}" must use only lowercase letters, digits and dashes (Prefect's rule).`,
    );
  }
}

export function checkNonNegativeInteger(what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new PrefectArgumentError(`${what} must be a non-negative integer, got ${value}.`);
  }
}

export function checkPositiveSeconds(what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
    throw new PrefectArgumentError(`${what} must be a positive number of seconds, got ${value}.`);
  }
}

export function checkNonNegativeSeconds(what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
    throw new PrefectArgumentError(`${what} must be zero or more seconds, got ${value}.`);
  }
}

export function mergeTags(...lists: (readonly string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((list) => list ?? []))];
}

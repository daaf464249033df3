import { randomInt } from 'node:crypto';
import type { Brand } from './brand';
import { isCalendarDate, pad, utcDate, utcFields, type UtcFields } from './calendar';
import { LakePathError } from './lake-path-error';

/**
 * One ingestion run: `YYYYMMDDTHHMMSSZ-<suffix>`, e.g. `20261125T101500Z-ab12cd`. The compact
 * ISO 8601 UTC start time sorts the same as text and as time, so listing `run=` prefixes returns
 * runs in order; the suffix keeps two runs that start in the same second apart.
 */
export type RunId = Brand<string, 'RunId'>;

const RUN_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-([a-z0-9]{4,16})$/;
const SUFFIX = /^[a-z0-9]{4,16}$/;
const FORMAT = 'YYYYMMDDTHHMMSSZ-<4–16 lowercase letters or digits>, e.g. 20261125T101500Z-ab12cd';

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
// 36^6 ≈ 2.2 billion: two runs of one dataset starting in the same second will not share a suffix.
const RANDOM_SUFFIX_LENGTH = 6;

function randomSuffix(): string {
  let suffix = '';
  for (let i = 0; i < RANDOM_SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(36)];
  return suffix;
}

/** Makes the id of a run that started at `startedAt`, with a random suffix unless one is given. */
export function runId(startedAt: Date, suffix: string = randomSuffix()): RunId {
  if (Number.isNaN(startedAt.getTime())) {
    throw new LakePathError({
      code: 'invalid_run_id',
      part: 'startedAt',
      value: String(startedAt),
      problem: 'is not a valid Date',
    });
  }
  const t = utcFields(startedAt);
  if (t.year < 0 || t.year > 9999) {
    throw new LakePathError({
      code: 'invalid_run_id',
      part: 'startedAt',
      value: startedAt.toISOString(),
      problem: 'has a year outside 0000–9999, which a run id cannot hold',
    });
  }
  if (!SUFFIX.test(suffix)) {
    throw new LakePathError({
      code: 'invalid_run_id',
      part: 'run id suffix',
      value: suffix,
      problem: 'must be 4–16 lowercase letters or digits',
    });
  }
  const date = `${pad(t.year, 4)}${pad(t.month, 2)}${pad(t.day, 2)}`;
  const time = `${pad(t.hour, 2)}${pad(t.minute, 2)}${pad(t.second, 2)}`;
  return `${date}T${time}Z-${suffix}` as RunId;
}

function runIdFields(value: string, part: string): UtcFields {
  const fail = (problem: string): never => {
    throw new LakePathError({ code: 'invalid_run_id', part, value, problem });
  };
  const match = RUN_ID.exec(value);
  if (!match) return fail(`is not a run id (expected ${FORMAT})`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // No leap seconds: Date cannot represent 23:59:60 either.
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return fail(`has a start time that is not a real UTC date and time (expected ${FORMAT})`);
  }
  return { year, month, day, hour, minute, second };
}

export function parseRunId(value: string, part = 'runId'): RunId {
  runIdFields(value, part);
  return value as RunId;
}

/** When the run started, to the second. */
export function runIdStartedAt(id: RunId): Date {
  return utcDate(runIdFields(id, 'runId'));
}

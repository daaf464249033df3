import type { Brand } from './brand';
import { isCalendarDate, pad, utcFields } from './calendar';
import { LakePathError } from './lake-path-error';

/** The value of a `dt=` partition: a real calendar day as `YYYY-MM-DD`. */
export type PartitionDate = Brand<string, 'PartitionDate'>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks a `YYYY-MM-DD` string, or takes the UTC calendar day of a `Date` (partitions are UTC
 * days everywhere, so a run near midnight lands in the same `dt=` on every machine).
 */
export function partitionDate(value: string | Date, part = 'dt'): PartitionDate {
  return typeof value === 'string' ? parseDateString(value, part) : fromDate(value, part);
}

function parseDateString(value: string, part: string): PartitionDate {
  const fail = (problem: string): never => {
    throw new LakePathError({ code: 'invalid_date', part, value, problem });
  };
  const match = ISO_DATE.exec(value);
  if (!match) return fail('is not a date in the form YYYY-MM-DD');
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (!isCalendarDate(year, month, day)) {
    return fail('is not a real calendar date (expected YYYY-MM-DD)');
  }
  return value as PartitionDate;
}

function fromDate(value: Date, part: string): PartitionDate {
  if (Number.isNaN(value.getTime())) {
    throw new LakePathError({
      code: 'invalid_date',
      part,
      value: String(value),
      problem: 'is not a valid Date',
    });
  }
  const { year, month, day } = utcFields(value);
  if (year < 0 || year > 9999) {
    throw new LakePathError({
      code: 'invalid_date',
      part,
      value: value.toISOString(),
      problem: 'has a year outside 0000–9999, which YYYY-MM-DD cannot hold',
    });
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as PartitionDate;
}

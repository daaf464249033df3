import { PREFECT_TIME_ZONES } from './prefect-time-zones';

/**
 * Why `name` is not a time zone Prefect's server accepts in a schedule, or `undefined` if it is.
 * The server checks membership in Python's `zoneinfo.available_timezones()` — case-sensitive,
 * links such as `US/Eastern` and `EST` included — so that set is the rule here, shared by
 * config validation and `applyDeployments` (libs/prefect) so both refuse the same names.
 * Checking this runtime's ICU instead let through IDs tzdata has dropped (`US/Pacific-New`).
 */
export function timeZoneProblem(name: string): string | undefined {
  if (/^[+-]\d/.test(name) || /^(UTC|GMT)[+-]\d/i.test(name)) {
    return `${JSON.stringify(name)} is an offset, not an IANA time zone; use a name like "America/Toronto" (which also follows daylight saving)`;
  }
  if (PREFECT_TIME_ZONES.has(name)) return undefined;
  const lower = name.toLowerCase();
  const sameLetters = [...PREFECT_TIME_ZONES].find((zone) => zone.toLowerCase() === lower);
  if (sameLetters !== undefined) {
    return `time zone names are case-sensitive: use ${JSON.stringify(sameLetters)}`;
  }
  return `${JSON.stringify(name)} is not an IANA time zone Prefect accepts (its tz database has no such name); use one like "America/Toronto" or "UTC"`;
}

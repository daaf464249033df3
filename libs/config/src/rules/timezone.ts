// Canonical IANA names as this runtime's ICU knows them. `UTC` is valid everywhere but missing
// from the list on some Node versions, so it is added by hand.
const CANONICAL_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/**
 * Why `name` is not an IANA time zone name, or `undefined` if it is. Prefect (via Python's
 * zoneinfo) resolves the name on a case-sensitive filesystem, so `america/toronto` is refused
 * even though `Intl` would accept it; UTC offsets like `+01:00` are not zone names at all.
 */
export function timeZoneProblem(name: string): string | undefined {
  if (/^[+-]\d/.test(name) || /^(UTC|GMT)[+-]\d/i.test(name)) {
    return `${JSON.stringify(name)} is an offset, not an IANA time zone; use a name like "America/Toronto" (which also follows daylight saving)`;
  }
  if (CANONICAL_ZONES.has(name)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return `${JSON.stringify(name)} is not an IANA time zone (e.g. "America/Toronto", "UTC")`;
  }
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) {
    return `time zone names are case-sensitive: use ${JSON.stringify(resolved)}`;
  }
  // A link such as `US/Eastern`: still in the IANA database, so accepted.
  return undefined;
}

import { LakePathError } from './lake-path-error';

/**
 * The lake's zones, one bucket each. `artifacts` holds state rather than data: ingestion
 * bookmarks, run manifests, dbt artifacts and Glue scripts. `athena-results` is Athena's scratch
 * space and has no keys of ours.
 */
export const ZONES = [
  'bronze',
  'silver',
  'gold',
  'quarantine',
  'artifacts',
  'athena-results',
] as const;

export type Zone = (typeof ZONES)[number];

export function isZone(value: unknown): value is Zone {
  return typeof value === 'string' && (ZONES as readonly string[]).includes(value);
}

export function parseZone(value: string, part = 'zone'): Zone {
  if (isZone(value)) return value;
  throw new LakePathError({
    code: 'invalid_zone',
    part,
    value,
    problem: `is not a lake zone (expected one of ${ZONES.join(', ')})`,
  });
}

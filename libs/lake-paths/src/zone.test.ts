import { describe, expect, it } from 'vitest';
import { ZONES, isZone, parseZone } from './zone';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('Zone', () => {
  it('lists the six zones', () => {
    expect(ZONES).toEqual([
      'bronze',
      'silver',
      'gold',
      'quarantine',
      'artifacts',
      'athena-results',
    ]);
  });

  it('accepts each zone and nothing else', () => {
    for (const zone of ZONES) expect(parseZone(zone)).toBe(zone);
    expect(isZone('platinum')).toBe(false);
    expect(isZone(42)).toBe(false);
  });

  it('names the zone and the allowed values when it is unknown', () => {
    const error = catchLakePathError(() => parseZone('platinum'));
    expect(error.code).toBe('invalid_zone');
    expect(error.message).toMatch(/^zone "platinum" is not a lake zone \(expected one of bronze, /);
  });
});

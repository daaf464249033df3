import { describe, expect, it } from 'vitest';
import { availabilityZones, natGatewayCount } from './networking';

// The VPC resources themselves are asserted per stack in tests/program.test.ts.
describe('availabilityZones', () => {
  it('uses two zones, three in prod, and skips the missing ca-central-1c', () => {
    expect(availabilityZones('dev', 'ca-central-1')).toEqual(['ca-central-1a', 'ca-central-1b']);
    expect(availabilityZones('prod', 'ca-central-1')).toEqual([
      'ca-central-1a',
      'ca-central-1b',
      'ca-central-1d',
    ]);
    expect(availabilityZones('staging', 'us-east-1')).toEqual(['us-east-1a', 'us-east-1b']);
  });
});

describe('natGatewayCount', () => {
  it('is one outside prod and one per zone in prod', () => {
    expect(natGatewayCount('dev', 2)).toBe(1);
    expect(natGatewayCount('staging', 2)).toBe(1);
    expect(natGatewayCount('prod', 3)).toBe(3);
  });
});

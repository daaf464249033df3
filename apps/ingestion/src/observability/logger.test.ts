import { describe, expect, it } from 'vitest';
import { correlationIdFromEnv } from './logger';

describe('correlationIdFromEnv', () => {
  it('takes FINKS_CORRELATION_ID (the pipelines set it to the master flow id) over Prefect', () => {
    expect(
      correlationIdFromEnv({ FINKS_CORRELATION_ID: 'master', PREFECT__FLOW_RUN_ID: 'subflow' }),
    ).toBe('master');
    expect(correlationIdFromEnv({ PREFECT__FLOW_RUN_ID: 'flow-run' })).toBe('flow-run');
    expect(correlationIdFromEnv({})).toMatch(/^[0-9a-f-]{36}$/);
  });
});

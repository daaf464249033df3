import { describe, expect, it } from 'vitest';
import { startTimeVariablesChanged } from './start-time-env';

describe('startTimeVariablesChanged', () => {
  const spareEnv = { PATH: '/bin', NODE_OPTIONS: '--enable-source-maps' };

  it('names the variables Node reads only at start that the job changes', () => {
    expect(
      startTimeVariablesChanged(
        {
          NODE_OPTIONS: '--max-old-space-size=4096',
          NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem',
          UV_THREADPOOL_SIZE: '16',
          FMP_PLAN: 'starter',
        },
        spareEnv,
      ),
    ).toEqual(['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'UV_THREADPOOL_SIZE']);
  });

  it('lets the spare take runs whose env it can apply, or already has', () => {
    expect(
      startTimeVariablesChanged(
        { FMP_PLAN: 'starter', NODE_OPTIONS: '--enable-source-maps' },
        spareEnv,
      ),
    ).toEqual([]);
  });
});

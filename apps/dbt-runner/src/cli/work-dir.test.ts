import { join } from 'node:path';
import { validConfig } from '@finks/config/testing';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../app-root';
import { defaultWorkDir } from './work-dir';

describe('defaultWorkDir', () => {
  it('sits beside a filesystem lake, one per lake', () => {
    const config = { ...validConfig(), env: 'local' as const };
    const lake = (root: string) => ({ ...config, lake: { kind: 'filesystem' as const, root } });
    expect(defaultWorkDir(lake('/work/repo/.finks/lake'), 'local')).toBe(
      '/work/repo/.finks/dbt/local',
    );
    expect(defaultWorkDir(lake('/tmp/bench-1/lake'), 'local')).toBe('/tmp/bench-1/dbt/local');
  });

  it("is the repository's .finks/dbt/<env> with an S3 lake (target folders only)", () => {
    expect(defaultWorkDir(validConfig(), 'dev')).toBe(join(REPO_ROOT, '.finks', 'dbt', 'dev'));
  });
});

import { describe, expect, it } from 'vitest';
import { appNamePattern, appRepositoryPattern, envNamePatterns } from './name-patterns';

describe('envNamePatterns', () => {
  it('cuts each @finks/iam-names scheme where the app or name starts', () => {
    expect(envNamePatterns('staging')).toEqual({
      flat: 'finks-staging-*',
      ecrRepository: 'finks/staging/*',
      logGroup: '/finks/staging/*',
      secret: 'finks/staging/*',
      glueDatabase: 'finks_staging_*',
    });
  });

  it('narrows to one app', () => {
    expect(appNamePattern('dbt-runner', 'prod')).toBe('finks-prod-dbt-runner-*');
    expect(appRepositoryPattern('ingestion', 'dev')).toBe('finks/dev/ingestion/*');
  });
});

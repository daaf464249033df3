import type { Env } from '@finks/lake-paths';
import { describe, expectTypeOf, it } from 'vitest';
import { iamRoleName, type App, type ResourceNameInput } from './index';

describe('inputs', () => {
  it('take the lake’s Env, not a copy of it', () => {
    expectTypeOf<ResourceNameInput['env']>().toEqualTypeOf<Env>();
    expectTypeOf<App>().toEqualTypeOf<
      'infrastructure' | 'pipelines' | 'dbt-runner' | 'ingestion'
    >();
  });

  it('refuse unknown apps and envs at compile time', () => {
    // @ts-expect-error not an app
    iamRoleName({ app: 'web', env: 'prod', component: 'x' });
    // @ts-expect-error not an env
    iamRoleName({ app: 'pipelines', env: 'qa', component: 'x' });
  });
});

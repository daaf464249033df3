import { expectTypeOf, test } from 'vitest';
import type { AwsAccountId, FinksConfig, SecretName } from './index';
import { validConfig } from './testing';

test('secret names and account ids are branded: a plain string is not one', () => {
  expectTypeOf<string>().not.toMatchTypeOf<SecretName>();
  expectTypeOf<string>().not.toMatchTypeOf<AwsAccountId>();
  expectTypeOf<SecretName>().toMatchTypeOf<string>();
  expectTypeOf(validConfig().secretNames.fmpApiKey).toEqualTypeOf<SecretName>();
});

test('the lake narrows on kind', () => {
  const lake = validConfig().lake;
  if (lake.kind === 'filesystem') expectTypeOf(lake.root).toBeString();
  else expectTypeOf(lake).toEqualTypeOf<{ kind: 's3' }>();
  expectTypeOf<FinksConfig['fmp']['callsPerDay']>().toEqualTypeOf<number | null>();
});

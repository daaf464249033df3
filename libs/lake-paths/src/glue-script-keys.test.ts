import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GLUE_SCRIPTS_PREFIX,
  glueContractsKey,
  glueScriptKey,
  parseGlueScriptKey,
} from './glue-script-keys';
import { invalidSlugArb, slugArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('Glue script keys', () => {
  it('builds and parses glue-scripts/<script>.py', () => {
    expect(glueScriptKey({ script: 'bronze_to_silver' })).toBe('glue-scripts/bronze_to_silver.py');
    expect(parseGlueScriptKey('glue-scripts/bronze_to_silver.py')).toEqual({
      script: 'bronze_to_silver',
    });
  });

  it('puts the contracts beside the scripts', () => {
    expect(GLUE_SCRIPTS_PREFIX).toBe('glue-scripts/');
    expect(glueContractsKey()).toBe('glue-scripts/contracts.json');
    expect(glueScriptKey({ script: 'x' }).startsWith(GLUE_SCRIPTS_PREFIX)).toBe(true);
  });

  it('names a bad script', () => {
    const error = catchLakePathError(() => glueScriptKey({ script: 'bronze-to-silver' }));
    expect(error).toMatchObject({ code: 'invalid_segment', part: 'script' });
  });

  it.each(['glue-scripts/job.scala', 'scripts/job.py', 'glue-scripts/a/job.py'])(
    'refuses %j',
    (key) => {
      expect(catchLakePathError(() => parseGlueScriptKey(key)).message).toBe(
        `key "${key}" is not a Glue script key (expected glue-scripts/<script>.py)`,
      );
    },
  );

  it('round-trips every script name and rejects every invalid one', () => {
    fc.assert(
      fc.property(slugArb, (script) => {
        expect(parseGlueScriptKey(glueScriptKey({ script }))).toEqual({ script });
      }),
    );
    fc.assert(
      fc.property(invalidSlugArb, (script) => {
        expect(catchLakePathError(() => glueScriptKey({ script })).part).toBe('script');
      }),
    );
  });
});

import { glueContractsKey, glueScriptKey, type Zone } from '@finks/lake-paths';
import type { GlueScript, GlueScriptModule } from '../stack/stack-settings';

/** The bucket roots each script requires (its REQUIRED/ARGS list), beyond the per-run ones. */
const SCRIPT_ROOTS: Readonly<Record<GlueScript, readonly Zone[]>> = {
  cleanse_market_data: ['bronze', 'silver', 'quarantine'],
  validate_schemas: ['bronze'],
};

export interface GlueJobArgumentsInput {
  readonly script: GlueScript;
  readonly modules: readonly GlueScriptModule[];
  readonly buckets: Readonly<Record<Zone, string>>;
}

/**
 * The script's own DefaultArguments: the contracts, the bucket roots it requires and the module
 * it imports. The flows add `--dataset --dates --run_id --correlation_id` per run (and repeat
 * the roots); getResolvedOptions ignores what a script does not ask for.
 */
export function glueJobArguments(input: GlueJobArgumentsInput): Record<string, string> {
  const { buckets } = input;
  const roots = Object.fromEntries(
    SCRIPT_ROOTS[input.script].map((zone) => [`--${zone}_root`, `s3://${buckets[zone]}/`]),
  );
  return {
    '--contracts': `s3://${buckets.artifacts}/${glueContractsKey()}`,
    ...roots,
    ...(input.modules.length === 0
      ? {}
      : {
          '--extra-py-files': input.modules
            .map((module) => `s3://${buckets.artifacts}/${glueScriptKey({ script: module })}`)
            .join(','),
        }),
  };
}

import { KeyReader } from './key-reader';
import { joinKey, joinPrefix, type LakeKey, type LakePrefix } from './lake-key';
import { slug } from './segment';

/** A Glue job's script; `script` is a slug, which is also a valid Python module name. */
export interface GlueScriptRef {
  readonly script: string;
}

const ROOT = 'glue-scripts';
const SCRIPT_FILE = /^(.*)\.py$/;

/** `glue-scripts/`: the scripts, the modules they import and the contracts they read. */
export const GLUE_SCRIPTS_PREFIX: LakePrefix<'artifacts'> = joinPrefix([ROOT]);

/**
 * `glue-scripts/contracts.json`: the dataset contracts beside the scripts (infrastructure uploads
 * them, the flows pass them as `--contracts`).
 */
export function glueContractsKey(): LakeKey<'artifacts'> {
  return joinKey([ROOT, 'contracts.json']);
}

/** `glue-scripts/<script>.py` */
export function glueScriptKey(ref: GlueScriptRef): LakeKey<'artifacts'> {
  return joinKey([ROOT, `${slug(ref.script, 'script')}.py`]);
}

export function parseGlueScriptKey(key: string): GlueScriptRef {
  const reader = new KeyReader(key, {
    name: 'a Glue script key',
    kind: 'key',
    pattern: `${ROOT}/<script>.py`,
  });
  reader.literal(ROOT);
  const script = reader.match(SCRIPT_FILE, (name) => slug(name, 'script'));
  reader.end();
  return { script };
}

import { KeyReader } from './key-reader';
import { joinKey, type LakeKey } from './lake-key';
import { slug } from './segment';

/** A Glue job's script; `script` is a slug, which is also a valid Python module name. */
export interface GlueScriptRef {
  readonly script: string;
}

const ROOT = 'glue-scripts';
const SCRIPT_FILE = /^(.*)\.py$/;

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

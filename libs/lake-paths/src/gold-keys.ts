import { KeyReader } from './key-reader';
import { joinPrefix, type LakePrefix } from './lake-key';
import { slug } from './segment';

/** A gold mart, e.g. `{ mart: 'portfolio_performance' }`; the name is a slug. */
export interface MartRef {
  readonly mart: string;
}

/** `mart=<name>/`: where dbt writes one mart's tables. */
export function goldMartPrefix(ref: MartRef): LakePrefix<'gold'> {
  return joinPrefix([`mart=${slug(ref.mart, 'mart')}`]);
}

export function parseGoldMartPrefix(prefix: string): MartRef {
  const reader = new KeyReader(prefix, {
    name: 'a gold mart prefix',
    kind: 'prefix',
    pattern: 'mart=<name>/',
  });
  const mart = reader.hive('mart', slug);
  reader.end();
  return { mart };
}

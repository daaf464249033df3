import type { Env } from '@finks/lake-paths';

/** The embedded filesystem lake a local run reads and writes. */
export interface LocalLakeTarget {
  readonly root: string;
  readonly env: Env;
  readonly accountId: string;
}

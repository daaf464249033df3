import { bucketName, type Env } from '@finks/lake-paths';
import { FilesystemLakeStore } from './filesystem-lake-store';
import type { LakeStore } from './lake-store';
import { S3LakeStore } from './s3-lake-store';

/** A store plus the buckets of the zones ingestion writes to. */
export interface Lake {
  readonly store: LakeStore;
  readonly buckets: {
    readonly bronze: string;
    readonly quarantine: string;
    readonly artifacts: string;
  };
}

export type LakeTargetOptions =
  | {
      readonly kind: 'filesystem';
      readonly root: string;
      readonly env: Env;
      readonly accountId: string;
    }
  | {
      readonly kind: 's3';
      readonly env: Env;
      readonly accountId: string;
      readonly region: string;
      readonly endpoint?: string;
      readonly multipartThresholdBytes?: number;
    };

export function openLake(options: LakeTargetOptions): Lake {
  const bucket = (zone: 'bronze' | 'quarantine' | 'artifacts') =>
    bucketName({ env: options.env, zone, accountId: options.accountId });
  const store =
    options.kind === 'filesystem'
      ? new FilesystemLakeStore(options.root)
      : new S3LakeStore({
          region: options.region,
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
          ...(options.multipartThresholdBytes === undefined
            ? {}
            : { multipartThresholdBytes: options.multipartThresholdBytes }),
        });
  return {
    store,
    buckets: {
      bronze: bucket('bronze'),
      quarantine: bucket('quarantine'),
      artifacts: bucket('artifacts'),
    },
  };
}

import { z } from 'zod';
import { closedObject } from './closed-object';

export const DEFAULT_LOCAL_LAKE_ROOT = '.finks/lake';

/** The embedded lake on a developer machine: one directory per zone under `root`. */
export const filesystemLakeSchema = closedObject({
  kind: z.literal('filesystem'),
  /** Relative paths are resolved against the repository root by `loadConfig`. */
  root: z.string().min(1).default(DEFAULT_LOCAL_LAKE_ROOT),
});

/**
 * The lake in AWS: one S3 bucket per zone. Bucket names are not configured: `@finks/lake-paths`
 * builds them from this file's `env` and `accountId` (`finks-<env>-<zone>-<accountId>`), so every
 * project derives the same names and a config cannot point one environment at another's bucket.
 */
export const s3LakeSchema = closedObject({
  kind: z.literal('s3'),
});

export const lakeSchema = z.discriminatedUnion('kind', [filesystemLakeSchema, s3LakeSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'kind must be "filesystem" (local) or "s3" (AWS)' : undefined,
});

export type LakeConfig = z.output<typeof lakeSchema>;
export type FilesystemLakeConfig = z.output<typeof filesystemLakeSchema>;
export type S3LakeConfig = z.output<typeof s3LakeSchema>;

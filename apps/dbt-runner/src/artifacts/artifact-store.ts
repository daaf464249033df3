import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  GetObjectCommand,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { lakeLocation, toLocalPath, type BucketName } from '@finks/lake-paths';
import { DbtRunnerError } from '../errors/dbt-runner-error';

/** The lake's artifacts zone: a bucket on S3, a folder in the local lake. Keys come from lake-paths. */
export interface ArtifactStore {
  /** Where a key lives, for logs and the orchestrator (s3:// URI or local path). */
  describe(key: string): string;
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
}

/** The artifacts bucket folder of a filesystem lake: `<lakeRoot>/<bucket>/<key>`. */
export class LocalArtifactStore implements ArtifactStore {
  constructor(
    private readonly bucket: BucketName<'artifacts'>,
    private readonly lakeRoot: string,
  ) {}

  describe(key: string): string {
    return toLocalPath(lakeLocation(this.bucket, key as never), this.lakeRoot);
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const path = this.describe(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.describe(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

/** The artifacts bucket on S3 (or moto). */
export class S3ArtifactStore implements ArtifactStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
        }),
      );
    } catch (error) {
      throw this.missingBucket(error, key) ?? error;
    }
  }

  /** NoSuchBucket as a runner error that says what to fix; undefined for any other error. */
  private missingBucket(error: unknown, key: string): DbtRunnerError | undefined {
    const isMissing =
      error instanceof NoSuchBucket ||
      (error instanceof S3ServiceException && error.name === 'NoSuchBucket');
    if (!isMissing) return undefined;
    return new DbtRunnerError(
      'artifact_store_missing',
      `the artifacts bucket ${this.bucket} does not exist (writing ${key}): deploy the ` +
        "infrastructure stack of this env, or check FINKS_ENV and the config's accountId",
      { bucket: this.bucket, key },
      { cause: error },
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return response.Body ? await response.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw this.missingBucket(error, key) ?? error;
    }
  }
}

import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { LakeStore } from './lake-store';

/** Objects above this size go up as a multipart upload (S3's minimum part is 5 MiB). */
export const MULTIPART_THRESHOLD_BYTES = 8 * 1024 * 1024;

export interface S3LakeStoreOptions {
  readonly region: string;
  /** Defaults to the SDK's own lookup, which reads AWS_ENDPOINT_URL (moto, LocalStack). */
  readonly endpoint?: string;
  readonly multipartThresholdBytes?: number;
}

export function s3ClientFor(options: S3LakeStoreOptions): S3Client {
  const endpoint = options.endpoint ?? process.env['AWS_ENDPOINT_URL'];
  const config: S3ClientConfig = {
    region: options.region,
    // moto and LocalStack serve buckets by path; virtual hosts would need bucket.localhost DNS.
    forcePathStyle: endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  };
  if (endpoint !== undefined) config.endpoint = endpoint;
  return new S3Client(config);
}

export class S3LakeStore implements LakeStore {
  readonly client: S3Client;
  private readonly threshold: number;

  constructor(options: S3LakeStoreOptions) {
    this.client = s3ClientFor(options);
    this.threshold = options.multipartThresholdBytes ?? MULTIPART_THRESHOLD_BYTES;
  }

  describe(bucket: string, key: string): string {
    return `s3://${bucket}/${key}`;
  }

  async put(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void> {
    if (body.byteLength < this.threshold) {
      await this.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
      return;
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
      partSize: Math.max(5 * 1024 * 1024, Math.ceil(this.threshold / 2)),
      queueSize: 2,
    });
    await upload.done();
  }

  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        return undefined;
      }
      throw error;
    }
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
}

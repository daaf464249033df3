import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { motoEndpoint } from '@finks/dev-services';

describe('S3 on moto', () => {
  const s3 = new S3Client({
    region: process.env['AWS_REGION'] ?? 'us-east-1',
    endpoint: motoEndpoint(),
    // Virtual-host style would need <bucket>.127.0.0.1 to resolve.
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  // moto is shared with other test runs: a unique bucket instead of a reset.
  const bucket = `dev-env-${randomUUID()}`;

  afterAll(() => s3.destroy());

  it('creates a bucket, puts, gets and lists objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'bronze/prices/2026-11-25.ndjson',
        Body: '{"symbol":"AAPL","close":231.5}\n',
        ContentType: 'application/x-ndjson',
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'bronze/prices/2026-11-26.ndjson',
        Body: '{}\n',
      }),
    );

    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'bronze/prices/2026-11-25.ndjson' }),
    );
    expect(object.ContentType).toBe('application/x-ndjson');
    expect(await object.Body?.transformToString()).toBe('{"symbol":"AAPL","close":231.5}\n');

    const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'bronze/' }));
    expect(listing.KeyCount).toBe(2);
    expect(listing.Contents?.map((entry) => entry.Key)).toEqual([
      'bronze/prices/2026-11-25.ndjson',
      'bronze/prices/2026-11-26.ndjson',
    ]);
  });
});

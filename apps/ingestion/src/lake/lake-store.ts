/**
 * Where the lake's objects live. Keys come from @finks/lake-paths; a store only moves bytes.
 * `put` must be atomic per object: a reader sees the old object, the new one, or none.
 */
export interface LakeStore {
  /** `s3://bucket/key` or the local file path, for messages. */
  describe(bucket: string, key: string): string;
  put(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** `undefined` when the object does not exist. */
  get(bucket: string, key: string): Promise<Uint8Array | undefined>;
  /** Every key under the prefix, sorted. */
  list(bucket: string, prefix: string): Promise<string[]>;
  delete(bucket: string, key: string): Promise<void>;
}

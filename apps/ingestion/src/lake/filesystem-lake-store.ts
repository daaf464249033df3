import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { IngestionError } from '../errors';
import type { LakeStore } from './lake-store';

/**
 * The embedded lake: `<root>/<bucket>/<key>`, the layout `toLocalPath` from @finks/lake-paths
 * gives. Writes go to a temporary file that is fsynced and renamed into place, so a crash never
 * leaves a half-written object under its real name.
 */
export class FilesystemLakeStore implements LakeStore {
  constructor(readonly root: string) {
    if (!isAbsolute(root)) {
      throw new IngestionError('config', `lake root "${root}" must be an absolute path`);
    }
  }

  private path(bucket: string, key: string): string {
    return join(this.root, bucket, ...key.split('/'));
  }

  describe(bucket: string, key: string): string {
    return this.path(bucket, key);
  }

  async put(bucket: string, key: string, body: Uint8Array): Promise<void> {
    const target = this.path(bucket, key);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  }

  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(bucket, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    const base = join(this.root, bucket);
    // Walk only the folder the prefix names; a prefix may end mid-segment.
    const slash = prefix.lastIndexOf('/');
    const start = join(
      base,
      ...prefix
        .slice(0, slash + 1)
        .split('/')
        .filter(Boolean),
    );
    const keys: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const full = join(folder, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.includes('.tmp-')) {
          const key = relative(base, full).split(sep).join('/');
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    await walk(start);
    return keys.sort();
  }

  async delete(bucket: string, key: string): Promise<void> {
    await rm(this.path(bucket, key), { force: true });
  }
}

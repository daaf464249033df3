import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEPT_RUN_FOLDERS, newRunFolder } from './run-folders';

describe('newRunFolder', () => {
  let workDir = '';
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('creates a folder named for the start time and the command', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'finks-run-folders-'));
    const folder = await newRunFolder(workDir, 'build', new Date('2026-11-26T12:34:56.789Z'));
    expect(folder).toBe(join(workDir, 'runs', '2026-11-26T12-34-56-789Z-build'));
    expect(await readdir(join(workDir, 'runs'))).toEqual(['2026-11-26T12-34-56-789Z-build']);
  });

  it(`keeps the newest ${KEPT_RUN_FOLDERS} folders, the new one included`, async () => {
    workDir = await mkdtemp(join(tmpdir(), 'finks-run-folders-'));
    const earlier = Array.from(
      { length: 14 },
      (_, day) => `2026-11-${String(day + 1).padStart(2, '0')}T08-00-00-000Z-build`,
    );
    // Created out of order: age is read from the name, not from the listing's order.
    for (const name of [...earlier].reverse())
      await mkdir(join(workDir, 'runs', name, 'compiled'), { recursive: true });
    await newRunFolder(workDir, 'test', new Date('2026-11-26T09:00:00Z'));
    expect((await readdir(join(workDir, 'runs'))).sort()).toEqual([
      ...earlier.slice(-(KEPT_RUN_FOLDERS - 1)),
      '2026-11-26T09-00-00-000Z-test',
    ]);
  });
});

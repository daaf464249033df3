// Two cleansings of one dataset at once: the second waits for the first, so neither drops the
// other's rows; a lock its dead holder left is taken over, a live one named when the wait ends.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findContractById } from '@finks/contracts';
import { bronzeToSilver } from './bronze-to-silver';
import { datasetLockPath, lockDataset, removeIfUnchanged } from './dataset-lock';
import { DatasetLockedError } from './dataset-locked-error';
import { EOD_SILVER, SILVER_BUCKET, silverKeys, writeEodBatch } from './testing/eod-fixture';

const RUN_0 = '20261123T220000Z-first0';
const RUN_A = '20261124T220000Z-aaaa01';
const RUN_B = '20261125T220000Z-bbbb02';
const CLEANSE_0 = '20261126T000000Z-clean0';
const CLEANSE_A = '20261126T010000Z-clean1';
const CLEANSE_B = '20261126T010001Z-clean2';
const EOD = findContractById('fmp.eod_prices');

let lakeRoot: string;
const lockPath = () => datasetLockPath(join(lakeRoot, SILVER_BUCKET), EOD);

beforeEach(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'finks-b2s-lock-'));
  // Two bronze dates whose prices land in the same silver partitions.
  const symbols = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, '0')}`);
  await writeEodBatch(
    lakeRoot,
    '2026-11-24',
    RUN_A,
    symbols.map((symbol) => [`A${symbol}`, '2026-11-24'] as const),
  );
  await writeEodBatch(
    lakeRoot,
    '2026-11-25',
    RUN_B,
    symbols.map((symbol) => [`B${symbol}`, '2026-11-24'] as const),
  );
});

afterEach(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

const cleanse = (dates: string[], runId: string, extra: { lockTimeoutMs?: number } = {}) =>
  bronzeToSilver({ lakeRoot, datasets: ['fmp.eod_prices'], dates, runId, ...extra });

describe('the per-dataset cleansing lock', () => {
  it('lets two cleansings of one dataset at once both keep their rows', async () => {
    // Each rebuilds dt=2026-11-24 from the silver it read; unlocked, the last swap wins.
    await writeEodBatch(lakeRoot, '2026-11-23', RUN_0, [['FIRST', '2026-11-24']]);
    for (let round = 0; round < 3; round++) {
      await rm(join(lakeRoot, SILVER_BUCKET), { recursive: true, force: true });
      await cleanse(['2026-11-23'], CLEANSE_0);
      const [a, b] = await Promise.all([
        cleanse(['2026-11-24'], CLEANSE_A),
        cleanse(['2026-11-25'], CLEANSE_B),
      ]);
      expect(a?.[0]?.valid).toBe(200);
      expect(b?.[0]?.valid).toBe(200);
      const keys = await silverKeys(lakeRoot);
      expect(keys).toHaveLength(401);
      expect(keys.filter((key) => key.startsWith('A'))).toHaveLength(200);
    }
    // Released at the end, and outside the table, where no `**/*.parquet` glob of it looks.
    await expect(readdir(dirname(lockPath()))).resolves.toEqual([]);
    expect(lockPath().startsWith(join(lakeRoot, EOD_SILVER))).toBe(false);
    expect(lockPath().endsWith('.parquet')).toBe(false);
  });

  it('takes over a lock whose process on this host is gone, and says so', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(dirname(lockPath()), { recursive: true });
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: dead, host: hostname(), runId: RUN_B, started: 'then' }),
    );
    const lines: string[] = [];
    const [summary] = await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices'],
      dates: ['2026-11-24'],
      runId: CLEANSE_A,
      log: (line) => lines.push(line),
    });
    expect(summary?.valid).toBe(200);
    expect(lines.join('\n')).toContain(`taking over the lock ${lockPath()} of run ${RUN_B}`);
  });

  it('removes a stale lock only while it holds what was judged stale', async () => {
    await mkdir(dirname(lockPath()), { recursive: true });
    await writeFile(lockPath(), 'dead holder');
    // Another waiter took it over between the judgement and the removal: its lock stays.
    expect(await removeIfUnchanged(lockPath(), 'the holder judged')).toBe(false);
    expect(await readFile(lockPath(), 'utf8')).toBe('dead holder');
    // Two waiters that judged the same dead holder at once: one removes it, the other nothing.
    const both = await Promise.all([
      removeIfUnchanged(lockPath(), 'dead holder'),
      removeIfUnchanged(lockPath(), 'dead holder'),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    await expect(readdir(dirname(lockPath()))).resolves.toEqual([]);
  });

  it("lets one of many waiters at a dead holder's lock in at a time", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(dirname(lockPath()), { recursive: true });
    await writeFile(lockPath(), JSON.stringify({ pid: dead, host: hostname(), runId: RUN_B }));
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, async (_, n) => {
        const release = await lockDataset(join(lakeRoot, SILVER_BUCKET), EOD, `run-${n}`, {
          timeoutMs: 30_000,
          log: () => undefined,
        });
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
        await release();
      }),
    );
    expect(most).toBe(1);
  });

  it('waits, then names both files, when a stopped waiter left its takeover claim', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const text = JSON.stringify({ pid: dead, host: hostname(), runId: RUN_B, started: 'then' });
    await mkdir(dirname(lockPath()), { recursive: true });
    await writeFile(lockPath(), text);
    const claim = `${lockPath()}.takeover-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    await writeFile(claim, '');
    const started = performance.now();
    const error = await lockDataset(join(lakeRoot, SILVER_BUCKET), EOD, CLEANSE_A, {
      timeoutMs: 300,
      log: () => undefined,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatasetLockedError);
    expect((error as Error).message).toContain(`could not be taken over: another waiter claimed`);
    expect((error as Error).message).toContain(claim);
    // It slept between looks rather than spin (a spin makes thousands of claims a second).
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('releases only its own lock', async () => {
    const release = await lockDataset(join(lakeRoot, SILVER_BUCKET), EOD, CLEANSE_A, {
      timeoutMs: 1_000,
      log: () => undefined,
    });
    // Taken over meanwhile (its holder wrongly judged gone): the new holder's lock stays.
    await writeFile(lockPath(), 'another run');
    await release();
    expect(await readFile(lockPath(), 'utf8')).toBe('another run');
  });

  it('gives up after its wait on a live holder, naming its run and pid', async () => {
    await mkdir(dirname(lockPath()), { recursive: true });
    const holder = { pid: process.pid, host: hostname(), runId: RUN_B, started: 'now' };
    await writeFile(lockPath(), JSON.stringify(holder));
    const error = await cleanse(['2026-11-24'], CLEANSE_A, { lockTimeoutMs: 300 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatasetLockedError);
    expect((error as Error).message).toContain(`run ${RUN_B} (pid ${process.pid}`);
    expect((error as Error).message).toContain(lockPath());
    // The holder's lock is left alone.
    await expect(readdir(dirname(lockPath()))).resolves.toEqual(['eod_prices.lock']);
    expect(await silverKeys(lakeRoot).catch(() => [])).toEqual([]);
  });
});

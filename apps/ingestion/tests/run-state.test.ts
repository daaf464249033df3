import { describe, expect, it } from 'vitest';
import { BatchManifestError, type BatchManifest } from '@finks/contracts';
import { putJson } from '../src/lake/bronze-run';
import { bronzeManifestKey } from '../src/lake/keys';
import { RunState } from '../src/state/run-state';
import { tempLake } from './helpers';

describe('RunState bookmarks', () => {
  it('moves cursors only forward, and sets what describes the stored history as given', async () => {
    const { lake } = await tempLake();
    const state = new RunState(lake, { source: 'fmp', dataset: 'eod_prices' });
    await state.complete(
      '20261126T010000Z-aaaa01',
      { AAPL: '2025-06-20' },
      { 'AAPL:since': '2020-01-02', 'AAPL:splits': '2020-08-31:4/1' },
    );
    // An older run's cursor does not move it back; an earlier `since` (a longer re-read) and a
    // corrected split (a "smaller" text) replace theirs.
    await state.complete(
      '20261126T020000Z-bbbb02',
      { AAPL: '2025-06-01' },
      { 'AAPL:since': '2015-01-02', 'AAPL:splits': '2020-08-31:3/1' },
    );
    expect((await state.bookmarks()).cursors).toEqual({
      AAPL: '2025-06-20',
      'AAPL:since': '2015-01-02',
      'AAPL:splits': '2020-08-31:3/1',
    });
  });

  it('applies both kinds from the manifest of a run that crashed before it could', async () => {
    const { lake } = await tempLake();
    const ref = { source: 'fmp', dataset: 'eod_prices' };
    const state = new RunState<{ units: unknown[] }>(lake, ref);
    const pending = { runId: '20261126T030000Z-cccc03', dt: '2026-11-26', plan: { units: [] } };
    await state.begin(pending);
    // The manifest was written; the process died before the bookmarks moved.
    await putJson(lake, lake.buckets.bronze, bronzeManifestKey({ ...ref, ...pending }), {
      ...manifestOf(ref, pending),
      bookmarks: { AAPL: '2025-06-20' },
      setBookmarks: { 'AAPL:basis': '2025-06-20', 'AAPL:splits': '2020-08-31:4/1' },
    });
    expect(await state.recover()).toBeUndefined();
    expect((await state.bookmarks()).cursors).toEqual({
      AAPL: '2025-06-20',
      'AAPL:basis': '2025-06-20',
      'AAPL:splits': '2020-08-31:4/1',
    });
  });

  it('moves no bookmark from a manifest it cannot trust, and names it', async () => {
    const { lake } = await tempLake();
    const ref = { source: 'fmp', dataset: 'eod_prices' };
    const state = new RunState<{ units: unknown[] }>(lake, ref);
    const pending = { runId: '20261126T030000Z-dddd04', dt: '2026-11-26', plan: { units: [] } };
    await state.begin(pending);
    const key = bronzeManifestKey({ ...ref, ...pending });
    await putJson(lake, lake.buckets.bronze, key, {
      ...manifestOf(ref, pending),
      bookmarks: { AAPL: 20250620 },
    });
    const recovered = state.recover().then(
      () => null,
      (error: unknown) => error,
    );
    expect(await recovered).toBeInstanceOf(BatchManifestError);
    expect(((await recovered) as Error).message).toContain(key);
    expect(((await recovered) as Error).message).toMatch(/- bookmarks\.AAPL: /);
    expect((await state.bookmarks()).cursors).toEqual({});
  });
});

/** A version 1 bronze manifest of an empty batch, as BronzeRun writes one. */
function manifestOf(
  ref: { source: string; dataset: string },
  run: { runId: string; dt: string },
): BatchManifest {
  return {
    version: 1,
    zone: 'bronze',
    ...ref,
    ...run,
    createdAt: '2026-11-26T03:00:05.000Z',
    rowCount: 0,
    parts: [],
    quarantine: { rowCount: 0, manifestKey: null },
  };
}

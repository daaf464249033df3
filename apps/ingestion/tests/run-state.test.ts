import { describe, expect, it } from 'vitest';
import { RunState } from '../src/state/run-state';
import { tempLake } from './helpers';

describe('RunState bookmarks', () => {
  it('moves cursors only forward, and takes the run’s value for what describes the history', async () => {
    const { lake } = await tempLake();
    const state = new RunState(lake, { source: 'fmp', dataset: 'eod_prices' });
    await state.complete('20261126T010000Z-aaaa01', {
      AAPL: '2025-06-20',
      'AAPL:basis': '2025-06-20',
      'AAPL:since': '2020-01-02',
      'AAPL:splits': '2020-08-31:4/1',
    });
    // An older run's cursors do not move them back; an earlier `since` (a longer re-read) and
    // a corrected split (a "smaller" text) replace theirs.
    await state.complete('20261126T020000Z-bbbb02', {
      AAPL: '2025-06-01',
      'AAPL:basis': '2025-06-01',
      'AAPL:since': '2015-01-02',
      'AAPL:splits': '2020-08-31:3/1',
    });
    expect((await state.bookmarks()).cursors).toEqual({
      AAPL: '2025-06-20',
      'AAPL:basis': '2025-06-20',
      'AAPL:since': '2015-01-02',
      'AAPL:splits': '2020-08-31:3/1',
    });
  });
});

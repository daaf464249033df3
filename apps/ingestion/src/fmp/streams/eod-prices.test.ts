import { describe, expect, it } from 'vitest';
import { basisEntry, eodPricesStream, sinceEntry } from './eod-prices';
import { splitsEntry, splitsInEffect, splitsStream } from './splits';
import type { PlanInput } from './stream';

const input = (
  cursors: Record<string, string>,
  relatedCursors: Record<string, string> = {},
  full = false,
): PlanInput => ({
  symbols: ['AAPL'],
  cursors: full ? {} : cursors,
  stored: cursors,
  relatedCursors,
  from: '2020-01-02',
  to: '2025-06-30',
  periods: ['annual'],
  statementLimit: 4,
});

describe('eod_prices plan across splits', () => {
  it('reads the whole window the first time and records its share basis', () => {
    expect(eodPricesStream.plan(input({}))).toEqual([
      {
        entity: 'AAPL',
        endpoint: 'historical-price-eod/full',
        params: { symbol: 'AAPL', from: '2020-01-02', to: '2025-06-30' },
        paged: false,
        after: null,
        bookmarks: { 'AAPL:basis': '2025-06-30', 'AAPL:since': '2020-01-02' },
      },
    ]);
  });

  it('continues after the bookmark when no split is newer than the basis', () => {
    const cursors = { AAPL: '2025-06-20', [basisEntry('AAPL')]: '2025-01-31' };
    const [unit] = eodPricesStream.plan(input(cursors, { AAPL: '2020-08-31' }));
    expect(unit).toMatchObject({ params: { from: '2025-06-21' }, after: '2025-06-20' });
    expect(unit?.bookmarks).toBeUndefined();
  });

  it('re-reads the whole window when a split is dated after the basis, even after later bars', () => {
    // Bars up to 06-20 are stored, but the history was read in full on 01-31: a split on 03-03
    // that the splits dataset learnt of only now makes everything before it stale.
    const cursors = { AAPL: '2025-06-20', [basisEntry('AAPL')]: '2025-01-31' };
    const [unit] = eodPricesStream.plan(input(cursors, { AAPL: '2025-03-03' }));
    expect(unit).toMatchObject({
      params: { from: '2020-01-02', to: '2025-06-30' },
      after: null,
      bookmarks: { 'AAPL:basis': '2025-06-30', 'AAPL:since': '2020-01-02' },
    });
  });

  it('re-reads from the first day a full read stored, when that is before --from', () => {
    // A ten-year backfill, then daily runs with the default --from (five years back).
    const cursors = {
      AAPL: '2025-06-20',
      [basisEntry('AAPL')]: '2025-01-31',
      [sinceEntry('AAPL')]: '2015-01-02',
    };
    const [unit] = eodPricesStream.plan(input(cursors, { AAPL: '2025-03-03' }));
    expect(unit).toMatchObject({
      params: { from: '2015-01-02', to: '2025-06-30' },
      after: null,
      bookmarks: { 'AAPL:basis': '2025-06-30', 'AAPL:since': '2015-01-02' },
    });
    // Without a split the daily run stays incremental and leaves `since` alone.
    const [daily] = eodPricesStream.plan(input(cursors, { AAPL: '2020-08-31' }));
    expect(daily).toMatchObject({ params: { from: '2025-06-21' }, after: '2025-06-20' });
    expect(daily?.bookmarks).toBeUndefined();
  });

  it('under --full from a later day keeps the stored first day, and re-reads from it after a split', () => {
    const cursors = {
      AAPL: '2025-06-20',
      [basisEntry('AAPL')]: '2025-01-31',
      [sinceEntry('AAPL')]: '2015-01-02',
    };
    // No split since the basis: the window is read again, and the bars before it stay current.
    const [window] = eodPricesStream.plan(input(cursors, { AAPL: '2020-08-31' }, true));
    expect(window).toMatchObject({
      params: { from: '2020-01-02', to: '2025-06-30' },
      after: null,
      bookmarks: { 'AAPL:basis': '2025-06-30', 'AAPL:since': '2015-01-02' },
    });
    // A split after the basis makes the bars before --from stale too: the read starts at since.
    const [stale] = eodPricesStream.plan(input(cursors, { AAPL: '2025-03-03' }, true));
    expect(stale).toMatchObject({
      params: { from: '2015-01-02', to: '2025-06-30' },
      bookmarks: { 'AAPL:since': '2015-01-02' },
    });
    // A --full from before the stored first day moves it earlier.
    const [earlier] = eodPricesStream.plan({
      ...input(cursors, { AAPL: '2020-08-31' }, true),
      from: '2010-01-04',
    });
    expect(earlier).toMatchObject({
      params: { from: '2010-01-04' },
      bookmarks: { 'AAPL:since': '2010-01-04' },
    });
  });

  it('takes history without a basis to be on the basis of its newest bar', () => {
    expect(
      eodPricesStream.plan(input({ AAPL: '2025-06-20' }, { AAPL: '2025-06-23' }))[0]?.after,
    ).toBeNull();
    expect(
      eodPricesStream.plan(input({ AAPL: '2025-06-20' }, { AAPL: '2025-06-20' }))[0]?.after,
    ).toBe('2025-06-20');
  });

  it('ignores a split announced for after the window (not in the prices yet)', () => {
    const cursors = { AAPL: '2025-06-20', [basisEntry('AAPL')]: '2025-06-20' };
    expect(eodPricesStream.plan(input(cursors, { AAPL: '2025-07-15' }))[0]?.after).toBe(
      '2025-06-20',
    );
  });

  it('reads the bookmarks of splits, which a run ingests first', () => {
    expect(eodPricesStream.readsBookmarksOf).toBe(splitsStream.contract.dataset);
  });
});

describe('splits plan', () => {
  it('asks for each symbol, keeps every split (a ratio may be corrected), moves the cursor no further than to', () => {
    expect(
      splitsStream.plan({ ...input({ AAPL: '2020-08-31' }), symbols: ['AAPL', 'MSFT'] }),
    ).toEqual([
      {
        entity: 'AAPL',
        endpoint: 'splits',
        params: { symbol: 'AAPL' },
        paged: false,
        after: null,
        cursorUpTo: '2025-06-30',
      },
      {
        entity: 'MSFT',
        endpoint: 'splits',
        params: { symbol: 'MSFT' },
        paged: false,
        after: null,
        cursorUpTo: '2025-06-30',
      },
    ]);
  });
});

describe('splits in effect', () => {
  it('lists the splits on or before to, oldest first; an announced one is left out', () => {
    const records = [
      { symbol: 'AAPL', date: '2025-09-01', numerator: 2, denominator: 1 },
      { symbol: 'AAPL', date: '2014-06-09', numerator: 7, denominator: 1 },
      { symbol: 'AAPL', date: '2020-08-31', numerator: 4, denominator: 1 },
    ];
    expect(splitsInEffect(records, '2025-06-30')).toBe('2014-06-09:7/1,2020-08-31:4/1');
    const unit = splitsStream.plan(input({}))[0];
    expect(unit && splitsStream.bookmarksOf?.(unit, records, [])).toEqual({
      [splitsEntry('AAPL')]: '2014-06-09:7/1,2020-08-31:4/1',
    });
  });
});

describe('eod_prices plan when FMP corrects a split', () => {
  const cursors = { AAPL: '2025-06-20', [basisEntry('AAPL')]: '2025-01-31' };
  const splits = (fingerprint: string) => ({
    AAPL: '2020-08-31',
    [splitsEntry('AAPL')]: fingerprint,
  });

  it('records the splits a full read was read on', () => {
    expect(eodPricesStream.plan(input({}, splits('2020-08-31:4/1')))[0]?.bookmarks).toMatchObject({
      [splitsEntry('AAPL')]: '2020-08-31:4/1',
    });
  });

  it('re-reads the whole history when the splits differ from those it was read on', () => {
    const readOn = { ...cursors, [splitsEntry('AAPL')]: '2020-08-31:4/1' };
    expect(eodPricesStream.plan(input(readOn, splits('2020-08-31:4/1')))[0]).toMatchObject({
      after: '2025-06-20',
    });
    expect(eodPricesStream.plan(input(readOn, splits('2020-08-31:3/1')))[0]).toMatchObject({
      params: { from: '2020-01-02', to: '2025-06-30' },
      after: null,
      bookmarks: { [splitsEntry('AAPL')]: '2020-08-31:3/1' },
    });
  });

  it('takes the current splits as those of history read before they were recorded', () => {
    const [unit] = eodPricesStream.plan(input(cursors, splits('2020-08-31:4/1')));
    expect(unit).toMatchObject({
      after: '2025-06-20',
      bookmarks: { [splitsEntry('AAPL')]: '2020-08-31:4/1' },
    });
  });
});

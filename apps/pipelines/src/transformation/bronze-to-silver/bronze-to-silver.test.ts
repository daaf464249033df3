import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchManifestError, findContractById, validateRecord } from '@finks/contracts';
import {
  fmpCompanyProfilePayload,
  fmpEodPricePayload,
  fmpIncomeStatementPayload,
  fmpNewsPayload,
  fmpQuotePayload,
  mongodbPortfolioDocuments,
} from '@finks/contracts/testing';
import { bronzeToSilver } from './bronze-to-silver';
import { writeSyntheticEodBronze } from './testing/synthetic-bronze';
import { bronzeLine, writeBronzeRun } from './testing/bronze-fixture';

const RUN_1 = '20261124T220000Z-aaaa01';
const RUN_2 = '20261125T220000Z-bbbb02';
const CLEANSE_RUN = '20261126T010000Z-clean1';
const LATER_RUN = '20261126T020000Z-clean2';
const STAGE = 'stage=bronze_to_silver';
const SILVER = 'finks-local-silver-123456789012/source=fmp/dataset=eod_prices';
const QUARANTINE = 'finks-local-quarantine-123456789012/source=fmp/dataset=eod_prices';

const price = (symbol: string, date: string, overrides: Record<string, unknown> = {}) => ({
  symbol,
  date,
  open: 10,
  high: 12.5,
  low: 9.75,
  close: 11,
  volume: 1000,
  ...overrides,
});

async function silverRows(lakeRoot: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const glob = join(lakeRoot, SILVER, 'dt=*', '*.parquet');
    const columns = await connection.runAndReadAll(
      `DESCRIBE SELECT * FROM read_parquet('${glob}', hive_partitioning = true, hive_types = {'dt': 'DATE'})`,
    );
    const rows = await connection.runAndReadAll(
      `SELECT symbol, strftime(trade_date, '%Y-%m-%d') AS trade_date, close, volume, ingestion_run_id,
        strftime(dt, '%Y-%m-%d') AS dt
      FROM read_parquet('${glob}', hive_partitioning = true, hive_types = {'dt': 'DATE'})
      ORDER BY symbol, trade_date`,
    );
    return {
      types: Object.fromEntries(
        columns
          .getRowObjectsJS()
          .map((row) => [String(row['column_name']), String(row['column_type'])]),
      ),
      rows: rows.getRowObjectsJson(),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('bronzeToSilver (DuckDB, local lake)', () => {
  let lakeRoot: string;

  beforeEach(async () => {
    lakeRoot = await mkdtemp(join(tmpdir(), 'finks-b2s-'));
    await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', '2026-11-24', RUN_1, [
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_1,
        '2026-11-24T22:00:00.000Z',
        0,
        price('AAPL', '2026-11-24'),
      ),
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_1,
        '2026-11-24T22:00:00.000Z',
        1,
        price('MSFT', '2026-11-24'),
      ),
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_1,
        '2026-11-24T22:00:00.000Z',
        2,
        price('BAD', '2026-11-24', { low: 20 }),
      ),
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_1,
        '2026-11-24T22:00:00.000Z',
        3,
        price('BAD2', '2026-11-24', { volume: '1000' }),
      ),
      'not json',
    ]);
    await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', '2026-11-25', RUN_2, [
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_2,
        '2026-11-25T22:00:00.000Z',
        0,
        price('AAPL', '2026-11-24', { close: 11.5 }),
      ),
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_2,
        '2026-11-25T22:00:00.000Z',
        1,
        price('AAPL', '2026-11-25', { volume: 7.0 }),
      ),
    ]);
    await writeBronzeRun(
      lakeRoot,
      'fmp',
      'eod_prices',
      '2026-11-25',
      '20261125T230000Z-dead00',
      [
        bronzeLine(
          'fmp',
          'eod_prices',
          RUN_2,
          '2026-11-25T23:00:00.000Z',
          0,
          price('ZZZ', '2026-11-25'),
        ),
      ],
      { manifest: false },
    );
  });

  afterEach(async () => {
    await rm(lakeRoot, { recursive: true, force: true });
  });

  const cleanse = (dates = ['2026-11-24', '2026-11-25']) =>
    bronzeToSilver({ lakeRoot, datasets: ['fmp.eod_prices'], dates, runId: CLEANSE_RUN });

  it('types, deduplicates by the latest fetch and partitions by trade date', async () => {
    const [summary] = await cleanse();
    expect(summary).toMatchObject({
      dataset: 'fmp.eod_prices',
      bronzeParts: 2,
      recordsRead: 7,
      valid: 4,
      quarantined: 3,
      quarantineReasons: { invalid_json: 1, invalid_type: 1, invariant: 1 },
      silverPartitions: ['2026-11-24', '2026-11-25'],
      silverRowsInPartitions: 3,
    });
    // Each phase's wall time, in seconds: the bench splits a cleansing's time with these.
    for (const phase of ['check', 'quarantine', 'silver'] as const) {
      expect(summary?.seconds[phase]).toBeGreaterThanOrEqual(0);
      expect(summary?.seconds[phase]).toBeLessThan(60);
    }
    const { types, rows } = await silverRows(lakeRoot);
    expect(types).toMatchObject({
      symbol: 'VARCHAR',
      trade_date: 'DATE',
      close: 'DOUBLE',
      volume: 'BIGINT',
      ingested_at: 'TIMESTAMP',
      ingestion_run_id: 'VARCHAR',
      dt: 'DATE',
    });
    expect(rows).toEqual([
      {
        symbol: 'AAPL',
        trade_date: '2026-11-24',
        close: 11.5,
        volume: '1000',
        ingestion_run_id: RUN_2,
        dt: '2026-11-24',
      },
      {
        symbol: 'AAPL',
        trade_date: '2026-11-25',
        close: 11,
        volume: '7',
        ingestion_run_id: RUN_2,
        dt: '2026-11-25',
      },
      {
        symbol: 'MSFT',
        trade_date: '2026-11-24',
        close: 11,
        volume: '1000',
        ingestion_run_id: RUN_1,
        dt: '2026-11-24',
      },
    ]);
  });

  const cleansingRejects = async (dt: string, bronzeRun: string) => {
    const folder = join(lakeRoot, QUARANTINE, `dt=${dt}`, `run=${bronzeRun}`, STAGE);
    const records = gunzipSync(await readFile(join(folder, 'part-00000.ndjson.gz')))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const manifest = JSON.parse(await readFile(join(folder, '_manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    return { records, manifest };
  };

  it('cleanses several datasets at once and answers in the order asked', async () => {
    // Quotes have more records than eod, so a lane takes them first (largest first); splits have
    // no bronze at all. The summaries still come back in the order the datasets were asked.
    const quotes = Array.from({ length: 10 }, (_, index) =>
      bronzeLine('fmp', 'quotes', RUN_2, '2026-11-25T22:00:00.000Z', index, {
        ...fmpQuotePayload[0],
        symbol: `Q${String.fromCharCode(65 + index)}`,
      }),
    );
    await writeBronzeRun(lakeRoot, 'fmp', 'quotes', '2026-11-25', RUN_2, quotes);
    const summaries = await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices', 'fmp.splits', 'fmp.quotes'],
      dates: ['2026-11-24', '2026-11-25'],
      runId: CLEANSE_RUN,
    });
    expect(summaries.map((s) => [s.dataset, s.recordsRead, s.valid])).toEqual([
      ['fmp.eod_prices', 7, 4],
      ['fmp.splits', 0, 0],
      ['fmp.quotes', 10, 10],
    ]);
    // The same eod silver as when cleansed alone.
    const together = await silverRows(lakeRoot);
    await rm(join(lakeRoot, SILVER), { recursive: true, force: true });
    await cleanse();
    expect(together).toEqual(await silverRows(lakeRoot));
    const quoteFiles = await readdir(
      join(lakeRoot, 'finks-local-silver-123456789012/source=fmp/dataset=quotes'),
      { recursive: true },
    );
    expect(quoteFiles.some((name) => name.endsWith('.parquet'))).toBe(true);
  });

  it('runs within a memory budget the lanes share, and refuses one too small to split', async () => {
    await writeBronzeRun(lakeRoot, 'fmp', 'quotes', '2026-11-25', RUN_2, [
      bronzeLine('fmp', 'quotes', RUN_2, '2026-11-25T22:00:00.000Z', 0, fmpQuotePayload[0]),
    ]);
    const ask = (memoryLimitBytes: number) =>
      bronzeToSilver({
        lakeRoot,
        datasets: ['fmp.eod_prices', 'fmp.quotes'],
        dates: ['2026-11-24', '2026-11-25'],
        runId: CLEANSE_RUN,
        memoryLimitBytes,
      });
    await expect(ask(48 * 1024 * 1024)).rejects.toThrow(/less than 32 MiB to each of 2 lanes/);
    const summaries = await ask(256 * 1024 * 1024);
    expect(summaries.map((s) => s.valid)).toEqual([4, 1]);
  });

  it('cleanses a load larger than its memory budget: thousands of partitions in 128 MiB', async () => {
    // ≈ 210 k records over 2,608 trading days; with DuckDB's default partitioned-write buffer
    // the write alone needs more than the budget.
    const records = await writeSyntheticEodBronze({
      lakeRoot,
      symbols: 80,
      years: 10,
      badEvery: 0,
      dt: '2026-11-25',
      runId: RUN_2,
    });
    const [summary] = await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices'],
      dates: ['2026-11-25'],
      runId: CLEANSE_RUN,
      memoryLimitBytes: 128 * 1024 * 1024,
    });
    expect(summary).toMatchObject({ recordsRead: records, valid: records, quarantined: 0 });
    expect(summary?.silverPartitions.length).toBeGreaterThan(2_500);
  }, 60_000);

  it("fails with a dataset's error when one of those cleansed at once fails", async () => {
    await writeBronzeRun(lakeRoot, 'fmp', 'quotes', '2026-11-25', RUN_2, ['{}']);
    // The part the manifest lists is overwritten with bytes that are not gzip.
    const parts = await readdir(join(lakeRoot, 'finks-local-bronze-123456789012'), {
      recursive: true,
    });
    const part = parts.find((name) => name.includes('dataset=quotes') && name.endsWith('.gz'));
    await writeFile(join(lakeRoot, 'finks-local-bronze-123456789012', String(part)), 'not gzip');
    await expect(
      bronzeToSilver({
        lakeRoot,
        datasets: ['fmp.eod_prices', 'fmp.quotes'],
        dates: ['2026-11-24', '2026-11-25'],
        runId: CLEANSE_RUN,
      }),
    ).rejects.toThrow(/dataset=quotes/);
  });

  it('quarantines rejects with their reasons and raw payload beside their bronze batch', async () => {
    await cleanse();
    const { records: lines, manifest } = await cleansingRejects('2026-11-24', RUN_1);
    expect(lines).toHaveLength(3);
    const bad = lines.find(
      (line) => (line['payload'] as { symbol?: string } | undefined)?.symbol === 'BAD',
    );
    expect(bad).toMatchObject({
      run_id: RUN_1,
      source_offset: 'eod_prices#2',
      payload: { low: 20 },
      reasons: [{ path: 'low', code: 'invariant' }],
      rejected_by: { stage: 'bronze_to_silver', run_id: CLEANSE_RUN },
    });
    expect(lines.some((line) => line['raw_line'] === 'not json')).toBe(true);
    expect(manifest).toMatchObject({
      zone: 'quarantine',
      dt: '2026-11-24',
      runId: RUN_1,
      stage: 'bronze_to_silver',
      rejectedBy: CLEANSE_RUN,
      rowCount: 3,
    });
    // The batch of 2026-11-25 had no rejects, so it has no cleansing folder.
    await expect(readdir(join(lakeRoot, QUARANTINE, 'dt=2026-11-25'))).rejects.toThrow(/ENOENT/);
  });

  it("replaces a batch's rejects when a later run cleanses it again, and leaves ingestion's", async () => {
    // What the connector rejected while writing the batch sits in the same run folder.
    const runFolder = join(lakeRoot, QUARANTINE, 'dt=2026-11-24', `run=${RUN_1}`);
    await mkdir(runFolder, { recursive: true });
    await writeFile(join(runFolder, 'part-00000.ndjson.gz'), gzipSync('{"ingestion":1}\n'));
    await writeFile(join(runFolder, '_manifest.json'), '{"rowCount":1}\n');

    await cleanse();
    const again = await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices'],
      dates: ['2026-11-24', '2026-11-25'],
      runId: LATER_RUN,
    });
    expect(again[0]).toMatchObject({ quarantined: 3 });
    const { records, manifest } = await cleansingRejects('2026-11-24', RUN_1);
    expect(records).toHaveLength(3);
    expect(records.map((record) => record['rejected_by'])).toEqual(
      Array(3).fill({ stage: 'bronze_to_silver', run_id: LATER_RUN }),
    );
    expect(manifest).toMatchObject({ rowCount: 3, rejectedBy: LATER_RUN });
    // One copy of each reject in the whole quarantine table, and the connector's files as they were.
    expect((await readdir(join(lakeRoot, QUARANTINE), { recursive: true })).sort()).toEqual([
      'dt=2026-11-24',
      `dt=2026-11-24/run=${RUN_1}`,
      `dt=2026-11-24/run=${RUN_1}/_manifest.json`,
      `dt=2026-11-24/run=${RUN_1}/part-00000.ndjson.gz`,
      `dt=2026-11-24/run=${RUN_1}/${STAGE}`,
      `dt=2026-11-24/run=${RUN_1}/${STAGE}/_manifest.json`,
      `dt=2026-11-24/run=${RUN_1}/${STAGE}/part-00000.ndjson.gz`,
    ]);
    expect(gunzipSync(await readFile(join(runFolder, 'part-00000.ndjson.gz'))).toString()).toBe(
      '{"ingestion":1}\n',
    );
  });

  it('rejects broken envelopes for the reasons the Glue job gives', async () => {
    // The lines glue_scripts/finks_silver.py convert_record tells apart. The DuckDB cleansing
    // reads each line once and asks again only where that read found nothing, so every kind of
    // "nothing" is here; each envelope names itself in source_offset.
    const good = { fetched_at: '2026-11-23T22:00:00Z', run_id: RUN_1 };
    const envelope = (name: string, fields: Record<string, unknown>) =>
      JSON.stringify({ source: 'fmp', dataset: 'eod_prices', source_offset: name, ...fields });
    const eod = (symbol: string, overrides: Record<string, unknown> = {}) =>
      price(symbol, '2026-11-23', overrides);
    await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', '2026-11-23', RUN_1, [
      'null',
      '[1, 2]',
      '"a string"',
      '{"payload": {"symbol": "X"},}x',
      envelope('empty', {}),
      envelope('payload null', { ...good, payload: null }),
      envelope('payload array', { ...good, payload: [eod('ARR')] }),
      envelope('payload text', { ...good, payload: 'text' }),
      envelope('payload empty', { ...good, payload: {} }),
      envelope('payload other case', { ...good, payload: { SYMBOL: 'X', Open: 1 } }),
      envelope('fetched number', { ...good, fetched_at: 5, payload: eod('F1') }),
      envelope('fetched no zone', {
        ...good,
        fetched_at: '2026-11-23T22:00:00',
        payload: eod('F2'),
      }),
      // The connector's own shape (Date.toISOString), but no real instant: the quick path for
      // that shape must leave them to the full check.
      envelope('fetched hour 24', {
        ...good,
        fetched_at: '2026-11-23T24:00:00.000Z',
        payload: eod('F3'),
      }),
      envelope('fetched second 60', {
        ...good,
        fetched_at: '2026-11-23T22:00:60.000Z',
        payload: eod('F4'),
      }),
      envelope('fetched 30 Feb', {
        ...good,
        fetched_at: '2025-02-30T22:00:00.000Z',
        payload: eod('F5'),
      }),
      envelope('fetched year 0', {
        ...good,
        fetched_at: '0000-01-01T00:00:00.000Z',
        payload: eod('F6'),
      }),
      envelope('run empty', { ...good, run_id: '', payload: eod('R1') }),
      envelope('run missing', { fetched_at: good.fetched_at, payload: eod('R2') }),
      envelope('nulls', { ...good, payload: eod('NUL', { symbol: null, volume: null }) }),
    ]);
    const [summary] = await cleanse(['2026-11-23']);
    expect(summary).toMatchObject({ recordsRead: 19, valid: 0, quarantined: 19 });
    const { records } = await cleansingRejects('2026-11-23', RUN_1);
    const reasonsOf = (record: Record<string, unknown>) =>
      (record['reasons'] as { path: string; code: string }[])
        .map(({ path, code }) => `${path}:${code}`)
        .sort()
        .join(' ');
    const required = ['close', 'date', 'high', 'low', 'open', 'symbol', 'volume']
      .map((field) => `${field}:required`)
      .join(' ');
    const byName = Object.fromEntries(
      records.map((record) => [
        String(record['source_offset'] ?? record['raw_line']),
        reasonsOf(record),
      ]),
    );
    expect(byName).toEqual({
      null: ':invalid_envelope',
      '[1, 2]': ':invalid_envelope',
      '"a string"': ':invalid_envelope',
      '{"payload": {"symbol": "X"},}x': ':invalid_json',
      empty: 'fetched_at:invalid_envelope payload:invalid_envelope run_id:invalid_envelope',
      'payload null': 'payload:invalid_envelope',
      'payload array': 'payload:invalid_envelope',
      'payload text': 'payload:invalid_envelope',
      'payload empty': required,
      'payload other case': required,
      'fetched number': 'fetched_at:invalid_envelope',
      'fetched no zone': 'fetched_at:invalid_envelope',
      'fetched hour 24': 'fetched_at:invalid_envelope',
      'fetched second 60': 'fetched_at:invalid_envelope',
      'fetched 30 Feb': 'fetched_at:invalid_envelope',
      'fetched year 0': 'fetched_at:invalid_envelope',
      'run empty': 'run_id:invalid_envelope',
      'run missing': 'run_id:invalid_envelope',
      nulls: 'symbol:required volume:required',
    });
  });

  it('quarantines what the field specs refuse beyond JSON types, at the field the contract names', async () => {
    // Tickers, http(s) URLs and currency codes (contracts.json `pattern`), unix seconds from 1970
    // and years 0100-9999; `null`: an edge the contract takes, which must reach silver.
    const cases: readonly (readonly [string, Record<string, unknown>, string | null])[] = [
      ['fmp.eod_prices', { symbol: 'AA PL' }, 'symbol'],
      ['fmp.eod_prices', { symbol: '' }, 'symbol'],
      ['fmp.eod_prices', { symbol: 'été' }, 'symbol'],
      ['fmp.eod_prices', { symbol: 'OLD1', date: '0099-01-02' }, 'date'],
      ['fmp.eod_prices', { symbol: 'BRK-B' }, null],
      ['fmp.eod_prices', { symbol: '^GSPC' }, null],
      ['fmp.eod_prices', { symbol: 'OLD2', date: '0100-01-04' }, null],
      ['fmp.quotes', { symbol: 'NEG', timestamp: -1 }, 'timestamp'],
      ['fmp.quotes', { symbol: 'EPOCH', timestamp: 0 }, null],
      ['fmp.news', { url: 'ftp://example.com/e' }, 'url'],
      ['fmp.news', { url: 'not a url' }, 'url'],
      [
        'fmp.news',
        { url: 'https://example.com/f', publishedDate: '0050-01-01 00:00:00' },
        'publishedDate',
      ],
      ['fmp.company_profiles', { symbol: 'FTP', image: 'ftp://example.com/FTP.png' }, 'image'],
      ['fmp.company_profiles', { symbol: 'OLD1', ipoDate: '0099-01-02' }, 'ipoDate'],
      ['fmp.company_profiles', { symbol: 'BRK-B', ipoDate: '0100-01-01' }, null],
      ['fmp.income_statements', { acceptedDate: '0050-01-01 00:00:00' }, 'acceptedDate'],
      ['fmp.income_statements', { date: '2024-06-29', acceptedDate: '0100-01-01 00:00:00' }, null],
      [
        'mongodb.portfolios',
        { _id: '65a1b2c3d4e5f60718293a51', baseCurrency: 'cad' },
        'baseCurrency',
      ],
      [
        'mongodb.portfolios',
        { _id: '65a1b2c3d4e5f60718293a52', baseCurrency: 'CA1' },
        'baseCurrency',
      ],
    ];
    const valid: Readonly<Record<string, unknown>> = {
      'fmp.eod_prices': fmpEodPricePayload[0],
      'fmp.quotes': fmpQuotePayload[0],
      'fmp.news': fmpNewsPayload[0],
      'fmp.company_profiles': fmpCompanyProfilePayload[0],
      'fmp.income_statements': fmpIncomeStatementPayload[0],
      'mongodb.portfolios': mongodbPortfolioDocuments[0],
    };
    const datasets = Object.keys(valid);
    const payloadOf = ([dataset, overrides]: (typeof cases)[number]) => ({
      ...(valid[dataset] as object),
      ...overrides,
    });
    for (const id of datasets) {
      const [source = '', dataset = ''] = id.split('.');
      const lines = cases.flatMap((entry, index) =>
        entry[0] === id
          ? [
              bronzeLine(
                source,
                dataset,
                RUN_1,
                '2026-11-23T22:00:00.000Z',
                index,
                payloadOf(entry),
              ),
            ]
          : [],
      );
      await writeBronzeRun(lakeRoot, source, dataset, '2026-11-23', RUN_1, lines);
    }
    const summaries = await bronzeToSilver({
      lakeRoot,
      datasets,
      dates: ['2026-11-23'],
      runId: CLEANSE_RUN,
    });
    const quarantined = new Map<string, string>();
    for (const id of datasets) {
      const [source = '', dataset = ''] = id.split('.');
      const part = join(
        lakeRoot,
        `finks-local-quarantine-123456789012/source=${source}/dataset=${dataset}`,
        `dt=2026-11-23/run=${RUN_1}/${STAGE}/part-00000.ndjson.gz`,
      );
      for (const line of gunzipSync(await readFile(part))
        .toString('utf8')
        .trim()
        .split('\n')) {
        const record = JSON.parse(line) as {
          source_offset: string;
          reasons: { path: string; code: string }[];
        };
        const reasons = record.reasons.map(({ path, code }) => `${path}:${code}`).join(' ');
        quarantined.set(record.source_offset, reasons);
      }
    }
    for (const [index, entry] of cases.entries()) {
      const [id, , path] = entry;
      const verdict = validateRecord(findContractById(id), payloadOf(entry));
      const offset = `${id.split('.')[1] ?? ''}#${index}`;
      if (path === null) {
        expect(verdict.ok, offset).toBe(true);
        expect(quarantined.get(offset), offset).toBeUndefined();
      } else {
        // The contract rejects it at the same field, for that field alone.
        const fields = verdict.ok ? [] : verdict.issues.map((issue) => issue.path[0]);
        expect([...new Set(fields)], offset).toEqual([path]);
        expect(quarantined.get(offset), offset).toBe(`${path}:invalid_value`);
      }
    }
    expect(summaries.map((summary) => [summary.dataset, summary.valid])).toEqual(
      datasets.map((id) => [
        id,
        cases.filter(([dataset, , path]) => dataset === id && path === null).length,
      ]),
    );
  });

  it('stamps each row with its own fetch and run', async () => {
    const at = (hour: string) => `2026-11-23T${hour}:00:00.000Z`;
    await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', '2026-11-23', RUN_1, [
      bronzeLine('fmp', 'eod_prices', RUN_1, at('20'), 0, price('AAPL', '2026-11-20')),
      bronzeLine('fmp', 'eod_prices', RUN_2, at('21'), 1, price('MSFT', '2026-11-20')),
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_1,
        '2026-11-23T22:30:00+01:00',
        2,
        price('IBM', '2026-11-20'),
      ),
      bronzeLine(
        'fmp',
        'eod_prices',
        RUN_2,
        '2024-02-29T23:59:59.999Z',
        3,
        price('LEAP', '2026-11-20'),
      ),
    ]);
    await cleanse(['2026-11-23']);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT symbol, strftime(ingested_at, '%H:%M') AS at, ingestion_run_id,
          strftime(ingested_at, '%Y-%m-%d %H:%M:%S.%f') AS instant
        FROM read_parquet('${join(lakeRoot, SILVER, 'dt=2026-11-20', '*.parquet')}') ORDER BY symbol`,
      );
      expect(reader.getRowObjectsJson()).toEqual([
        {
          symbol: 'AAPL',
          at: '20:00',
          ingestion_run_id: RUN_1,
          instant: '2026-11-23 20:00:00.000000',
        },
        {
          symbol: 'IBM',
          at: '21:30',
          ingestion_run_id: RUN_1,
          instant: '2026-11-23 21:30:00.000000',
        },
        {
          symbol: 'LEAP',
          at: '23:59',
          ingestion_run_id: RUN_2,
          instant: '2024-02-29 23:59:59.999000',
        },
        {
          symbol: 'MSFT',
          at: '21:00',
          ingestion_run_id: RUN_2,
          instant: '2026-11-23 21:00:00.000000',
        },
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('gives the same silver when run again, and keeps rows other bronze dates wrote', async () => {
    await cleanse();
    const first = await silverRows(lakeRoot);
    await cleanse();
    expect(await silverRows(lakeRoot)).toEqual(first);
    await cleanse(['2026-11-25']);
    expect(await silverRows(lakeRoot)).toEqual(first);
    expect(await readdir(join(lakeRoot, SILVER, 'dt=2026-11-24'))).toHaveLength(1);
  });

  it('refuses a bronze manifest it cannot trust, naming the file and what is wrong', async () => {
    const manifest = join(
      lakeRoot,
      'finks-local-bronze-123456789012/source=fmp/dataset=eod_prices',
      `dt=2026-11-25/run=${RUN_2}/_manifest.json`,
    );
    const written = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, unknown>;
    await writeFile(manifest, JSON.stringify({ ...written, parts: undefined, rowCount: -1 }));
    const failed = cleanse().then(
      () => null,
      (error: unknown) => error,
    );
    expect(await failed).toBeInstanceOf(BatchManifestError);
    const message = ((await failed) as Error).message;
    expect(message).toContain(manifest);
    expect(message).toMatch(/- rowCount: /);
    expect(message).toMatch(/- parts: /);
    // Nothing of either date reached silver.
    await expect(readdir(join(lakeRoot, SILVER))).rejects.toThrow(/ENOENT/);
  });

  describe("with batches 'rebuild'", () => {
    const rebuild = (dates: string[] = []) =>
      bronzeToSilver({
        lakeRoot,
        datasets: ['fmp.eod_prices'],
        dates,
        runId: LATER_RUN,
        batches: 'rebuild',
      });
    const BRONZE = 'finks-local-bronze-123456789012/source=fmp/dataset=eod_prices';
    const LEDGER = 'finks-local-silver-123456789012/_cleansed/source=fmp/dataset=eod_prices';
    const keys = async () =>
      ((await silverRows(lakeRoot)).rows as Record<string, unknown>[]).map(
        (row) => `${String(row['symbol'])} ${String(row['trade_date'])} ${String(row['close'])}`,
      );

    it('builds the table anew from every bronze date: rows no batch gives any more leave', async () => {
      await cleanse();
      // RUN_2's batch taken out of bronze (say, found to be wrong). A merge keeps what it gave.
      await rm(join(lakeRoot, BRONZE, 'dt=2026-11-25', `run=${RUN_2}`), { recursive: true });
      await cleanse(['2026-11-24', '2026-11-25']);
      expect(await keys()).toContain('AAPL 2026-11-25 11');

      const [summary] = await rebuild();
      expect(summary).toMatchObject({
        dates: ['2026-11-24', '2026-11-25'],
        bronzeBatches: 1,
        recordsRead: 5,
        silverPartitions: ['2026-11-24'],
      });
      expect(await keys()).toEqual(['AAPL 2026-11-24 11', 'MSFT 2026-11-24 11']);
      expect(await readdir(join(lakeRoot, SILVER))).toEqual(['dt=2026-11-24']);
      const ledger = (await readdir(join(lakeRoot, LEDGER), { recursive: true })).filter((name) =>
        name.endsWith('cleansed.json'),
      );
      expect(ledger).toEqual([`dt=2026-11-24/run=${RUN_1}/cleansed.json`]);
    });

    it('takes no dates, and says why', async () => {
      await expect(rebuild(['2026-11-24'])).rejects.toThrow(
        'a rebuild reads every bronze date of each dataset, so it takes no dates (got 2026-11-24)',
      );
    });
  });

  describe("with batches 'pending' (the ledger of cleansed batches)", () => {
    const pending = (dates = ['2026-11-24', '2026-11-25'], runId = LATER_RUN) =>
      bronzeToSilver({ lakeRoot, datasets: ['fmp.eod_prices'], dates, runId, batches: 'pending' });
    const LEDGER = 'finks-local-silver-123456789012/_cleansed/source=fmp/dataset=eod_prices';

    it('records every complete batch it cleansed, outside the silver table', async () => {
      await cleanse();
      const entries = (await readdir(join(lakeRoot, LEDGER), { recursive: true }))
        .filter((name) => name.endsWith('cleansed.json'))
        .sort();
      expect(entries).toEqual([
        `dt=2026-11-24/run=${RUN_1}/cleansed.json`,
        `dt=2026-11-25/run=${RUN_2}/cleansed.json`,
      ]);
      const entry = JSON.parse(
        await readFile(join(lakeRoot, LEDGER, entries[0] ?? ''), 'utf8'),
      ) as Record<string, unknown>;
      expect(entry).toMatchObject({ version: 1, cleansedBy: CLEANSE_RUN, quarantined: 3 });
      expect(await readdir(join(lakeRoot, SILVER))).toEqual(['dt=2026-11-24', 'dt=2026-11-25']);
    });

    it('reads nothing again, and leaves silver and quarantine as they are', async () => {
      await cleanse();
      const before = await silverRows(lakeRoot);
      const [summary] = await pending();
      expect(summary).toMatchObject({
        bronzeBatches: 0,
        batchesAlreadyCleansed: 2,
        recordsRead: 0,
        quarantined: 0,
        silverPartitions: [],
      });
      expect(await silverRows(lakeRoot)).toEqual(before);
      const { records } = await cleansingRejects('2026-11-24', RUN_1);
      expect(records.map((record) => record['rejected_by'])).toEqual(
        Array(3).fill({ stage: 'bronze_to_silver', run_id: CLEANSE_RUN }),
      );
      // With 'all' every complete batch is read again.
      const [all] = await cleanse();
      expect(all).toMatchObject({ bronzeBatches: 2, batchesAlreadyCleansed: 0, recordsRead: 7 });
    });

    it('names a ledger entry that is not JSON and how to recover', async () => {
      await cleanse();
      const entry = join(lakeRoot, LEDGER, `dt=2026-11-24/run=${RUN_1}/cleansed.json`);
      await writeFile(entry, '{"version": 1,');
      await expect(pending()).rejects.toThrow(`silver ledger entry ${entry} is not JSON (`);
      await expect(pending()).rejects.toThrow(/delete it and the batch is cleansed again/);
      await rm(entry);
      const [summary] = await pending();
      expect(summary).toMatchObject({ bronzeBatches: 1, batchesAlreadyCleansed: 1 });
    });

    it('reads only the batches that arrived or were written again since', async () => {
      await cleanse();
      // A later run the same day, and the unfinished run of 2026-11-25 now complete.
      const RUN_3 = '20261125T233000Z-cccc03';
      await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', '2026-11-25', RUN_3, [
        bronzeLine(
          'fmp',
          'eod_prices',
          RUN_3,
          '2026-11-25T23:30:00.000Z',
          0,
          price('AAPL', '2026-11-25', { close: 12 }),
        ),
      ]);
      await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', '2026-11-25', '20261125T230000Z-dead00', [
        bronzeLine(
          'fmp',
          'eod_prices',
          RUN_2,
          '2026-11-25T23:00:00.000Z',
          0,
          price('ZZZ', '2026-11-25'),
        ),
      ]);
      const [summary] = await pending();
      expect(summary).toMatchObject({
        bronzeBatches: 2,
        batchesAlreadyCleansed: 2,
        recordsRead: 2,
        valid: 2,
        silverPartitions: ['2026-11-25'],
        silverRowsInPartitions: 2,
      });
      const rows = (await silverRows(lakeRoot)).rows as Record<string, unknown>[];
      // Merged with what silver held: the later fetch wins, the other dates' rows stay.
      expect(
        rows.map(
          (row) => `${String(row['symbol'])} ${String(row['trade_date'])} ${String(row['close'])}`,
        ),
      ).toEqual([
        'AAPL 2026-11-24 11.5',
        'AAPL 2026-11-25 12',
        'MSFT 2026-11-24 11',
        'ZZZ 2026-11-25 11',
      ]);

      // RUN_1's batch written again (a retried ingestion run): a new version, so pending again.
      await writeBronzeRun(
        lakeRoot,
        'fmp',
        'eod_prices',
        '2026-11-24',
        RUN_1,
        [
          bronzeLine(
            'fmp',
            'eod_prices',
            RUN_1,
            '2026-11-24T22:00:00.000Z',
            0,
            price('AAPL', '2026-11-24'),
          ),
        ],
        { createdAt: '2026-11-26T09:00:00.000Z' },
      );
      const [again] = await pending();
      expect(again).toMatchObject({ bronzeBatches: 1, batchesAlreadyCleansed: 3, recordsRead: 1 });
      // The batch's rewrite has no rejects any more, so its old ones leave quarantine.
      await expect(
        readdir(join(lakeRoot, QUARANTINE, 'dt=2026-11-24', `run=${RUN_1}`, STAGE)),
      ).rejects.toThrow(/ENOENT/);
    });
  });
});

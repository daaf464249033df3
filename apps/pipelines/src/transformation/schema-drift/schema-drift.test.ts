import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fmpQuotePayload } from '@finks/contracts/testing';
import { driftReportKey } from '@finks/lake-paths';
import { bronzeLine, writeBronzeRun } from '../bronze-to-silver/testing/bronze-fixture';
import { describeDrift } from './drift-report';
import { schemaDrift } from './schema-drift';

// The reports' agreement with validate_schemas.py on PySpark is glue_scripts/tests/
// test_conformance.py's; this checks what the local check reads, counts and stores.

const RUN_1 = '20261124T220000Z-aaaa01';
const RUN_2 = '20261125T220000Z-bbbb02';
const CHECK_RUN = '20261126T010000Z-drift1';
const ARTIFACTS = 'finks-local-artifacts-123456789012';

const price = (symbol: string, overrides: Record<string, unknown> = {}) => ({
  symbol,
  date: '2026-11-24',
  open: 10,
  high: 12.5,
  low: 9.75,
  close: 11,
  volume: 1000,
  ...overrides,
});
const eodLine = (index: number, payload: unknown) =>
  bronzeLine('fmp', 'eod_prices', RUN_1, '2026-11-24T22:00:00.000Z', index, payload);

describe('schemaDrift (DuckDB, local lake)', () => {
  let lakeRoot: string;
  beforeEach(async () => {
    lakeRoot = await mkdtemp(join(tmpdir(), 'finks-drift-'));
  });
  afterEach(async () => {
    await rm(lakeRoot, { recursive: true, force: true });
  });

  it('counts unknown fields, missing required fields and type changes, and stores the report', async () => {
    await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', '2026-11-24', RUN_1, [
      eodLine(0, price('AAA')),
      eodLine(1, price('BBB', { adjClose: 11.2 })),
      eodLine(2, price('CCC', { adjClose: 11.3, close: '11', open: true })),
      eodLine(3, price('DDD', { symbol: null })),
      eodLine(4, { ...price('EEE'), volume: undefined }),
      eodLine(5, 'not an object'),
      'not json',
    ]);
    // A run without a manifest may be half written: never read.
    await writeBronzeRun(
      lakeRoot,
      'fmp',
      'eod_prices',
      '2026-11-24',
      RUN_2,
      [eodLine(0, price('ZZZ', { surprise: 1 }))],
      { manifest: false },
    );

    const [report] = await schemaDrift({
      lakeRoot,
      datasets: ['fmp.eod_prices'],
      dates: ['2026-11-24'],
      runId: CHECK_RUN,
    });

    expect(report).toEqual({
      dataset: 'fmp.eod_prices',
      run_id: CHECK_RUN,
      dates: ['2026-11-24'],
      bronze_parts: 1,
      records: 7,
      unreadable_records: 2,
      unknown_fields: [{ field: 'adjClose', records: 2 }],
      missing_required_fields: [
        { field: 'symbol', records: 1 },
        { field: 'volume', records: 1 },
      ],
      type_changes: [
        { field: 'close', encoding: 'json_number', expected: ['number'], observed: { string: 1 } },
        { field: 'open', encoding: 'json_number', expected: ['number'], observed: { boolean: 1 } },
      ],
      drift: true,
    });
    const stored = join(
      lakeRoot,
      ARTIFACTS,
      driftReportKey({ source: 'fmp', dataset: 'eod_prices', runId: CHECK_RUN }),
    );
    expect(JSON.parse(await readFile(stored, 'utf8'))).toEqual(report);
    expect(describeDrift(report!)).toBe(
      'fmp.eod_prices: unknown field adjClose (2 records); required field symbol missing (1 record); ' +
        'required field volume missing (1 record); close is string in 1 record, not number ' +
        '(json_number); open is boolean in 1 record, not number (json_number)',
    );
  });

  it('finds no drift in records that fit the contract, and none where there is no bronze', async () => {
    await writeBronzeRun(
      lakeRoot,
      'fmp',
      'quotes',
      '2026-11-25',
      RUN_2,
      fmpQuotePayload.map((payload, index) =>
        bronzeLine('fmp', 'quotes', RUN_2, '2026-11-25T15:00:00.000Z', index, payload),
      ),
    );

    const reports = await schemaDrift({
      lakeRoot,
      datasets: ['fmp.quotes', 'fmp.splits'],
      dates: ['2026-11-25'],
      runId: CHECK_RUN,
    });

    expect(reports.map((r) => [r.dataset, r.records, r.drift])).toEqual([
      ['fmp.quotes', fmpQuotePayload.length, false],
      ['fmp.splits', 0, false],
    ]);
    expect(describeDrift(reports[0]!)).toBe('fmp.quotes: no drift');
  });

  it('refuses a call without dates, and a date that is not one, naming it', async () => {
    await expect(
      schemaDrift({ lakeRoot, datasets: ['fmp.quotes'], dates: [], runId: CHECK_RUN }),
    ).rejects.toThrow(/give the bronze dates/);
    await expect(
      schemaDrift({ lakeRoot, datasets: ['fmp.quotes'], dates: ['2026-02-30'], runId: CHECK_RUN }),
    ).rejects.toThrow(/dates/);
  });
});

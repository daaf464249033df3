// transformation-validate-schemas locally: the DuckDB drift check on the filesystem lake, one
// report per dataset stored under drift-reports/; drift fails the run unless failOnDrift is off.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftReportKey } from '@finks/lake-paths';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultValidationDates,
  validateSchemasFlow,
} from '../../src/flows/transformation/validate-schemas';
import {
  bronzeLine,
  writeBronzeRun,
} from '../../src/transformation/bronze-to-silver/testing/bronze-fixture';
import { SchemaDriftError } from '../../src/transformation/schema-drift/schema-drift-error';

const RUN = '20261125T220000Z-flow01';
const CHECK_RUN = '20261126T020000Z-check1';
const price = {
  symbol: 'AAPL',
  date: '2026-11-25',
  open: 10,
  high: 12,
  low: 9,
  close: 11,
  volume: 100,
};
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-drift-flow-'));
  const line = (index: number, payload: unknown) =>
    bronzeLine('fmp', 'eod_prices', RUN, '2026-11-25T22:00:00.000Z', index, payload);
  await writeBronzeRun(join(dir, 'lake'), 'fmp', 'eod_prices', '2026-11-25', RUN, [
    line(0, price),
    line(1, { ...price, symbol: 'MSFT', adjClose: 10.9 }),
  ]);
  await writeBronzeRun(join(dir, 'lake'), 'fmp', 'eod_prices', '2026-11-24', RUN, [
    line(0, { ...price, date: '2026-11-24' }),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transformation-validate-schemas (local)', () => {
  const base = () => ({
    env: 'local',
    lakeRoot: join(dir, 'lake'),
    datasets: ['fmp.eod_prices'],
    runId: CHECK_RUN,
  });

  it('passes bronze that fits the contract, and stores its report', async () => {
    const [report] = await validateSchemasFlow({ ...base(), dates: ['2026-11-24'] });
    expect(report).toMatchObject({ dataset: 'fmp.eod_prices', records: 1, drift: false });
    const stored = join(
      dir,
      'lake',
      'finks-local-artifacts-123456789012',
      driftReportKey({ source: 'fmp', dataset: 'eod_prices', runId: CHECK_RUN }),
    );
    expect(JSON.parse(await readFile(stored, 'utf8'))).toEqual(report);
  });

  it('fails on drift, naming the dataset and the field, and reports it when told not to fail', async () => {
    const run = validateSchemasFlow({ ...base(), dates: ['2026-11-24', '2026-11-25'] });
    await expect(run).rejects.toBeInstanceOf(SchemaDriftError);
    await expect(run).rejects.toThrow(
      'schema drift in 1 dataset: fmp.eod_prices: unknown field adjClose (1 record)',
    );
    const reports = await validateSchemasFlow({
      ...base(),
      dates: ['2026-11-24', '2026-11-25'],
      failOnDrift: false,
    });
    expect(reports.map((r) => [r.records, r.drift, r.unknown_fields])).toEqual([
      [3, true, [{ field: 'adjClose', records: 1 }]],
    ]);
  });

  it('checks the UTC day before the run when no dates are given, so each day once', () => {
    expect(defaultValidationDates(new Date('2026-11-26T02:00:00Z'))).toEqual(['2026-11-25']);
    expect(defaultValidationDates(new Date('2026-11-27T02:00:00Z'))).toEqual(['2026-11-26']);
    // The first UTC second of a month still checks the last day of the one before.
    expect(defaultValidationDates(new Date('2026-12-01T00:00:00Z'))).toEqual(['2026-11-30']);
  });

  it('refuses a date that is not one, naming the parameter', async () => {
    await expect(validateSchemasFlow({ ...base(), dates: ['2026-11-5'] })).rejects.toThrow(
      /a bronze dt as YYYY-MM-DD/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { CONTRACTS, fmpEodPrices, isSilverType } from '@finks/contracts';
import { bronzeTable, silverTable } from './glue-tables';

describe('silverTable', () => {
  it('has the contract columns with their portable types, partitioned by dt', () => {
    const table = silverTable(fmpEodPrices, 'finks-dev-silver-111111111111');
    expect(table.name).toBe('fmp_eod_prices');
    expect(table.location).toBe(
      's3://finks-dev-silver-111111111111/source=fmp/dataset=eod_prices/',
    );
    expect(table.columns.map((column) => column.name)).toEqual(
      fmpEodPrices.columns.map((column) => column.name),
    );
    expect(table.columns.find((column) => column.name === 'volume')?.type).toBe('bigint');
    expect(table.partitionKeys).toEqual([expect.objectContaining({ name: 'dt', type: 'date' })]);
    expect(table.parameters['projection.dt.type']).toBe('date');
    expect(table.parameters['storage.location.template']).toBe(`${table.location}dt=\${dt}/`);
  });

  it('only uses types Glue and Athena read, for every contract', () => {
    for (const contract of CONTRACTS) {
      for (const column of silverTable(contract, 'b').columns)
        expect(isSilverType(column.type), column.name).toBe(true);
    }
  });
});

describe('bronzeTable', () => {
  it('reads the raw fields as strings from the bronze dataset prefix, partitioned by dt and run', () => {
    const table = bronzeTable(fmpEodPrices, 'finks-dev-bronze-111111111111');
    expect(table.location).toBe(
      's3://finks-dev-bronze-111111111111/source=fmp/dataset=eod_prices/',
    );
    expect(table.columns.map((column) => column.name)).toContain('changepercent');
    expect(new Set(table.columns.map((column) => column.type))).toEqual(new Set(['string']));
    expect(table.partitionKeys.map((key) => key.name)).toEqual(['dt', 'run']);
    expect(table.columns.map((column) => column.name)).not.toContain('ingested_at');
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkGeneratedFiles } from './drift/check-generated-files';
import { CONTRACTS_LIB_ROOT } from './lib-root';
import { CONTRACTS } from './registry';
import { GENERATE_COMMAND } from './render/contracts-json';
import { renderGeneratedFiles } from './render/generated-files';

const expected = renderGeneratedFiles(CONTRACTS);

/** A scratch copy of the committed generated/ folder, laid out like the lib. */
function copyOfCommittedFiles(): string {
  const root = mkdtempSync(join(tmpdir(), 'finks-contracts-'));
  cpSync(join(CONTRACTS_LIB_ROOT, 'generated'), join(root, 'generated'), { recursive: true });
  return root;
}

describe('generated files', () => {
  it('are committed and up to date with the contracts', () => {
    const report = checkGeneratedFiles(CONTRACTS_LIB_ROOT, expected, GENERATE_COMMAND);
    expect(report.message).toBe('');
    expect(report.ok).toBe(true);
  });

  it('detect a hand edit and name the edited file and line', () => {
    const root = copyOfCommittedFiles();
    try {
      const path = join(root, 'generated', 'dbt-sources.yml');
      writeFileSync(path, readFileSync(path, 'utf8').replace('count: 80', 'count: 800'));
      const report = checkGeneratedFiles(root, expected, GENERATE_COMMAND);
      expect(report.ok).toBe(false);
      expect(report.files).toEqual([
        { path: 'generated/contracts.json', status: 'up_to_date' },
        {
          path: 'generated/dbt-sources.yml',
          status: 'differs',
          firstDifferentLine: expect.any(Number),
        },
      ]);
      expect(report.message).toMatch(
        /^generated\/dbt-sources\.yml differs from the contracts \(first at line \d+\)$/m,
      );
      expect(report.message).toContain(`Run \`${GENERATE_COMMAND}\``);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('detect a deleted file', () => {
    const root = copyOfCommittedFiles();
    try {
      rmSync(join(root, 'generated', 'contracts.json'));
      const report = checkGeneratedFiles(root, expected, GENERATE_COMMAND);
      expect(report.message).toContain('generated/contracts.json is missing');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('render deterministically', () => {
    expect(renderGeneratedFiles(CONTRACTS)).toEqual(expected);
  });

  it('say they are generated and by which command', () => {
    for (const file of expected) expect(file.content.slice(0, 300)).toContain(GENERATE_COMMAND);
  });

  it('export every contract to JSON with keys, cursor, partition, columns and invariants', () => {
    const json = JSON.parse(expected[0]?.content ?? '') as {
      contracts: {
        id: string;
        primary_key: string[];
        cursor: string | null;
        partition: { key: string; derived_from: string };
        columns: { name: string; type: string; source_field: string | null }[];
        invariants: { name: string; sql: string }[];
      }[];
    };
    expect(json.contracts.map((contract) => contract.id)).toEqual(
      CONTRACTS.map((contract) => contract.id),
    );
    const transactions = json.contracts.find((contract) => contract.id === 'mongodb.transactions');
    expect(transactions).toMatchObject({
      primary_key: ['id'],
      cursor: 'updated_at',
      partition: { key: 'dt', derived_from: 'updated_at' },
    });
    expect(transactions?.columns).toContainEqual(
      expect.objectContaining({
        name: 'quantity',
        type: 'decimal(38,9)',
        source_field: 'quantity',
      }),
    );
    expect(transactions?.invariants).toContainEqual(
      expect.objectContaining({
        name: 'trade_quantity_positive',
        sql: "NOT (transaction_type IN ('buy', 'sell')) OR (quantity > 0)",
      }),
    );
  });

  it('render one dbt source per source slug, with freshness and column docs per table', () => {
    const yaml = parse(expected[1]?.content ?? '') as {
      version: number;
      sources: {
        name: string;
        config: { loaded_at_field: string };
        tables: {
          name: string;
          identifier: string;
          config: { freshness: { warn_after: { count: number }; error_after: { count: number } } };
          columns: { name: string; description: string; data_type: string }[];
        }[];
      }[];
    };
    expect(yaml.version).toBe(2);
    expect(yaml.sources.map((source) => source.name)).toEqual(['fmp', 'mongodb']);
    for (const source of yaml.sources) expect(source.config.loaded_at_field).toBe('ingested_at');
    const eod = yaml.sources[0]?.tables.find((table) => table.name === 'eod_prices');
    expect(eod?.identifier).toBe('fmp_eod_prices');
    expect(eod?.config.freshness.warn_after.count).toBeLessThan(
      eod?.config.freshness.error_after.count ?? 0,
    );
    expect(eod?.columns.map((column) => column.name)).toEqual([
      'symbol',
      'trade_date',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'change',
      'change_percent',
      'vwap',
      'ingested_at',
      'ingestion_run_id',
      'dt',
    ]);
    expect(eod?.columns.every((column) => column.description.length > 0)).toBe(true);
  });
});

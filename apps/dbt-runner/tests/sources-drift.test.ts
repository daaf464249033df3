import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONTRACTS } from '@finks/contracts';
import { APP_ROOT } from '../src/app-root';
import {
  GENERATE_SOURCES_COMMAND,
  SOURCES_FILE,
  formatProjectSources,
  renderProjectSources,
} from '../src/sources/render-sources';

describe('models/staging/_sources.yml', () => {
  it(`matches the contracts (regenerate with ${GENERATE_SOURCES_COMMAND})`, async () => {
    expect(readFileSync(join(APP_ROOT, SOURCES_FILE), 'utf8')).toBe(await formatProjectSources());
  });

  it('has every contract with freshness and a lake-paths location for DuckDB', () => {
    const document = parse(renderProjectSources()) as {
      sources: {
        name: string;
        tables: { name: string; config: { freshness: unknown; meta: Record<string, string> } }[];
      }[];
    };
    const tables = document.sources.flatMap((source) =>
      source.tables.map((table) => ({ source: source.name, table })),
    );
    expect(tables).toHaveLength(CONTRACTS.length);
    for (const { source, table } of tables) {
      expect(table.config.freshness).toBeDefined();
      // Relative to the silver folder, which load_silver reads while running (FINKS_SILVER_ROOT).
      expect(table.config.meta['silver_parquet']).toBe(
        `source=${source}/dataset=${table.name}/**/*.parquet`,
      );
      // dbt-duckdb would read an external_location's files in every model and test.
      expect(table.config.meta).not.toHaveProperty('external_location');
    }
  });

  it('tests every required column of a table in one not_null_columns test, and no other', () => {
    const document = parse(renderProjectSources()) as {
      sources: {
        name: string;
        tables: {
          name: string;
          data_tests: { not_null_columns?: { arguments: { columns: string[] } } }[];
          columns: { name: string; data_tests?: unknown[] }[];
        }[];
      }[];
    };
    for (const source of document.sources) {
      for (const table of source.tables) {
        const contract = CONTRACTS.find(
          (candidate) => candidate.source === source.name && candidate.dataset === table.name,
        );
        const required = contract?.columns
          .filter((column) => !column.nullable)
          .map((column) => column.name);
        expect(table.data_tests).toEqual([
          { not_null_columns: { arguments: { columns: [...(required ?? []), 'dt'] } } },
        ]);
        for (const column of table.columns)
          expect(column.data_tests ?? []).not.toContain('not_null');
      }
    }
  });
});

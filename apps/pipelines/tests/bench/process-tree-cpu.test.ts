import { describe, expect, it } from 'vitest';
import { processLabel } from '../../bench/process-tree-cpu';

describe('processLabel', () => {
  it('names an app command started through tsx by its script and subcommand', () => {
    expect(
      processLabel([
        '/usr/bin/node',
        '--require',
        '/w/node_modules/tsx/dist/preflight.cjs',
        '--import',
        'file:///w/node_modules/tsx/dist/loader.mjs',
        '/w/apps/ingestion/src/main.ts',
        'fmp',
        '--datasets=eod_prices',
      ]),
    ).toBe('ingestion main fmp');
    expect(
      processLabel(['node', '/w/apps/ingestion/src/fake-fmp/main.ts', '--port=0', '--symbols=500']),
    ).toBe('ingestion fake-fmp/main');
  });

  it('names dbt by its command, and anything else by its program', () => {
    expect(processLabel(['/w/.venv/bin/python3', '/w/.venv/bin/dbt', 'build', '--quiet'])).toBe(
      'dbt build',
    );
    expect(
      processLabel([
        '/w/.venv/bin/python',
        '/w/apps/dbt-runner/src/dbt/held_dbt.py',
        '["parse","--target","local"]',
        '["build","--target","local"]',
      ]),
    ).toBe('dbt build (held)');
    expect(processLabel(['/opt/ferretdb', '--listen-addr=127.0.0.1:27017'])).toBe('ferretdb');
  });
});

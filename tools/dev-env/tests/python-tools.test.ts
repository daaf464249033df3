import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pinnedVersion, VENV_BIN } from './pinned-versions';

const run = promisify(execFile);

describe('Python tools in the project venv', () => {
  it('has dbt-core with the duckdb and athena adapters', async () => {
    const { stdout } = await run(`${VENV_BIN}dbt`, ['--version'], {
      env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' },
    });
    expect(stdout).toMatch(new RegExp(`installed:\\s+${pinnedVersion('dbt-core')}`));
    expect(stdout).toMatch(new RegExp(`duckdb:\\s+${pinnedVersion('dbt-duckdb')}`));
    expect(stdout).toMatch(new RegExp(`athena:\\s+${pinnedVersion('dbt-athena')}`));
  });

  it('runs a local SparkSession on Spark 3.5.4 (the Glue 5.0 engine)', async () => {
    const script = `
import json
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[1]").appName("dev-env-check")
         .config("spark.ui.enabled", "false").getOrCreate())
frame = spark.createDataFrame([("AAPL", 231.5), ("MSFT", 415.2)], ["symbol", "close"])
top = frame.orderBy(frame.close.desc()).first()
print(json.dumps({"version": spark.version, "rows": frame.count(), "top": top.symbol}))
spark.stop()
`;
    const { stdout } = await run(`${VENV_BIN}python`, ['-c', script], {
      env: { ...process.env, PYSPARK_PYTHON: `${VENV_BIN}python` },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as unknown;
    expect(result).toEqual({ version: '3.5.4', rows: 2, top: 'MSFT' });
    expect(pinnedVersion('pyspark')).toBe('3.5.4');
  });
});

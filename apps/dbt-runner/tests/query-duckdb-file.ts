import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src/app-root';

const execFileAsync = promisify(execFile);

/**
 * The rows of a query on dbt's DuckDB file, read with dbt's own DuckDB (the venv's Python): the
 * file format is newer than the one @duckdb/node-api reads. Dates and other values JSON lacks
 * come back as strings.
 */
export async function queryDuckdbFile(
  path: string,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const script = [
    'import duckdb, json, sys',
    'connection = duckdb.connect(sys.argv[1], read_only=True)',
    'cursor = connection.execute(sys.argv[2])',
    'names = [column[0] for column in cursor.description]',
    'print(json.dumps([dict(zip(names, row)) for row in cursor.fetchall()], default=str))',
  ].join('\n');
  const { stdout } = await execFileAsync(
    join(REPO_ROOT, '.venv', 'bin', 'python'),
    ['-c', script, path, sql],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Record<string, unknown>[];
}

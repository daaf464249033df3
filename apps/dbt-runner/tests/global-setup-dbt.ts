// One real `dbt build` (dbt-duckdb) over a generated silver fixture, shared by every test file:
// dbt is slow to start, so the tests read its outputs instead of building again.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runLocalDbt } from '../src/local';
import type { LocalLake } from '../src/lake/local-lake';
import { FIXTURE } from '../src/testing/fixture';
import { syntheticSilver } from '../src/testing/synthetic-silver';
import { writeSyntheticSilver } from '../src/testing/write-silver';

export interface SharedDbtBuild {
  readonly lake: LocalLake;
  readonly workDir: string;
  readonly correlationId: string;
  /** The DbtRunOutcome of the build, as JSON. */
  readonly outcomeJson: string;
  readonly logPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbtBuild: SharedDbtBuild;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'finks-dbt-test-'));
  const lake: LocalLake = { lakeRoot: join(root, 'lake'), env: 'local', accountId: '123456789012' };
  await writeSyntheticSilver(lake, syntheticSilver(FIXTURE), join(root, 'scratch'));
  const correlationId = 'test-correlation-0001';
  const logPath = join(root, 'dbt-build.log');
  const chunks: string[] = [];
  const { Writable } = await import('node:stream');
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const outcome = await runLocalDbt({ lake, workDir: join(root, 'work'), correlationId, log });
  await writeFile(logPath, chunks.join(''));
  if (outcome.exitCode !== 0) {
    process.stderr.write(chunks.join(''));
  }
  project.provide('dbtBuild', {
    lake,
    workDir: join(root, 'work'),
    correlationId,
    outcomeJson: JSON.stringify(outcome),
    logPath,
  });
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}

// `--hold`: dbt imported and parsed ahead of time, run only when told (see held_dbt.py).
import { access, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { parseCacheDirFor } from '../src/dbt/parse-cache';
import { localTargetEnvironment } from '../src/dbt/target-environment';
import { EXIT_CODES } from '../src/exit-code';
import { runDbt } from '../src/runner';

const build = inject('dbtBuild');
const PARSED = 'held dbt: parsed, waiting for go on stdin';

/** A log that keeps what dbt wrote and says when `text` first appears in it. */
function watchedLog(text: string) {
  let written = '';
  let seen: () => void = () => undefined;
  const appeared = new Promise<void>((resolve) => (seen = resolve));
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      if (written.includes(text)) seen();
      done();
    },
  });
  return { log, appeared, text: () => written };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function heldRun(go: (parsed: Promise<void>, targetPath: string) => Promise<boolean>) {
  const dir = await mkdtemp(join(tmpdir(), 'finks-held-dbt-'));
  const environment = localTargetEnvironment({
    lake: build.lake,
    duckdbPath: join(dir, 'held.duckdb'),
    exportGold: false,
  });
  const targetPath = join(dir, 'target');
  const watched = watchedLog(PARSED);
  const outcome = await runDbt({
    command: 'build',
    env: 'local',
    environment,
    targetPath,
    parseCacheDir: parseCacheDirFor(environment),
    select: ['stg_mongo__portfolios'],
    // The model alone: its tests would read models this run does not build.
    exclude: ['test_type:data', 'test_type:unit'],
    log: watched.log,
    hold: go(watched.appeared, targetPath),
  });
  return { outcome, targetPath, log: watched.text() };
}

describe('a held dbt run', () => {
  it('parses first, waits, and builds once told to go', async () => {
    let ranBeforeGo: boolean | undefined;
    const { outcome, targetPath, log } = await heldRun(async (parsed, target) => {
      await parsed;
      // Parsed and waiting: nothing has run yet.
      ranBeforeGo = await exists(join(target, 'run_results.json'));
      return true;
    });
    expect(ranBeforeGo).toBe(false);
    expect(log.indexOf(PARSED)).toBeGreaterThan(-1);
    expect(outcome.exitCode).toBe(EXIT_CODES.ok);
    expect(outcome.summary?.nodes.map((node) => node.uniqueId)).toContain(
      'model.finks.stg_mongo__portfolios',
    );
    expect(await exists(join(targetPath, 'run_results.json'))).toBe(true);
    // The build used the parse made before the go: dbt's debug log (beside the artifacts) shows
    // one manifest load (its `checksum:` line), the parse's; a build parsing again adds another.
    const debugLog = await readFile(join(targetPath, 'dbt.log'), 'utf8');
    expect(debugLog.match(/\]: checksum: /g)).toHaveLength(1);
    expect(debugLog).toMatch(/Command `cli build` succeeded/);
  });

  it('builds nothing and says so when released without go', async () => {
    const { outcome, targetPath } = await heldRun(async (parsed) => {
      await parsed;
      return false;
    });
    expect(outcome.exitCode).toBe(EXIT_CODES.notReleased);
    expect(outcome.message).toMatch(/never told to run/);
    expect(outcome.summary).toBeUndefined();
    expect(await exists(join(targetPath, 'run_results.json'))).toBe(false);
  });
});

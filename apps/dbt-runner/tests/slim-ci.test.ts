import { appendFile, copyFile, cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bucketName } from '@finks/lake-paths';
import { DBT_PROJECT_DIR } from '../src/app-root';
import { LocalArtifactStore } from '../src/artifacts/artifact-store';
import { localTargetEnvironment } from '../src/dbt/target-environment';
import { pullRequestSchema } from '../src/ci/ci-schema';
import { runSlimCi, type SlimCiOutcome } from '../src/slim-ci';

const build = inject('dbtBuild');

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

/**
 * A pull request's checkout: a copy of the dbt project, and a copy of the warehouse the main
 * build left (what `--defer` resolves unchanged parents to).
 */
async function pullRequestRun(
  name: string,
  change?: (projectDir: string) => Promise<void>,
): Promise<SlimCiOutcome> {
  const root = await mkdtemp(join(tmpdir(), `finks-slim-ci-${name}-`));
  const projectDir = join(root, 'dbt');
  await cp(DBT_PROJECT_DIR, projectDir, {
    recursive: true,
    filter: (source) => !source.includes(`${DBT_PROJECT_DIR}/target`) && !source.endsWith('/logs'),
  });
  if (change) await change(projectDir);
  await copyFile(join(build.workDir, 'finks.duckdb'), join(root, 'finks.duckdb'));
  const store = new LocalArtifactStore(
    bucketName({ env: 'local', zone: 'artifacts', accountId: build.lake.accountId }),
    build.lake.lakeRoot,
  );
  return runSlimCi({
    env: 'local',
    state: { kind: 'store', store, env: 'local' },
    environment: localTargetEnvironment({
      lake: build.lake,
      duckdbPath: join(root, 'finks.duckdb'),
      schema: pullRequestSchema('main', name),
      exportGold: false,
    }),
    targetPath: join(root, 'target'),
    projectDir,
    log: sink(),
    // Nothing to drop when nothing is built; the changed run checks the drop.
    ...(change ? {} : { keepSchema: true }),
  });
}

describe('slim CI (state:modified+ with --defer against the published manifest)', () => {
  let unchanged: SlimCiOutcome;
  let changed: SlimCiOutcome;

  beforeAll(async () => {
    [unchanged, changed] = await Promise.all([
      pullRequestRun('nochange'),
      pullRequestRun('staging', (dir) =>
        appendFile(
          join(dir, 'models/staging/stg_fmp__income_statements.sql'),
          '\n-- a reviewed change\n',
        ),
      ),
    ]);
  }, 420_000);

  it('builds nothing when nothing changed', () => {
    expect(unchanged.exitCode).toBe(0);
    expect(unchanged.selection).toEqual(['state:modified+']);
    expect(unchanged.deferred).toBe(true);
    expect(unchanged.summary?.nodes ?? []).toEqual([]);
  });

  it('builds only the changed staging model and its children', () => {
    expect(changed.exitCode).toBe(0);
    const built = (changed.summary?.nodes ?? []).filter((node) => node.resourceType === 'model');
    expect(built.map((node) => node.name).sort()).toEqual([
      'int_fundamentals',
      'stg_fmp__income_statements',
    ]);
    const tested = (changed.summary?.nodes ?? []).filter((node) => node.resourceType === 'test');
    expect(tested.length).toBeGreaterThan(0);
    expect(tested.every((node) => /income_statements|int_fundamentals/.test(node.name))).toBe(true);
    expect(changed.droppedSchema).toBe('main_pr_staging');
  });
});

import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { dbtArgs } from '../src/dbt/dbt-args';
import { resolveDbtBinary } from '../src/dbt/dbt-binary';
import { formatSummaryTable, summarizeRunResults } from '../src/dbt/run-results';
import { athenaTargetEnvironment, localTargetEnvironment } from '../src/dbt/target-environment';
import { DbtRunnerError } from '../src/errors/dbt-runner-error';
import { EXIT_CODES, exitCodeFor, exitMessage } from '../src/exit-code';
import { runMetricsLine } from '../src/metrics';
import { runDbt, type DbtRunOutcome } from '../src/runner';
import { runCli } from '../src/cli/program';

const build = inject('dbtBuild');
const outcome = JSON.parse(build.outcomeJson) as DbtRunOutcome;

function runResults(statuses: readonly string[]): string {
  return JSON.stringify({
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
      dbt_version: '1.11.0',
      generated_at: '2026-01-02T03:04:05Z',
      invocation_id: '3f2c1a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c',
    },
    results: statuses.map((status, i) => ({
      unique_id: `model.finks.model_${i}`,
      status,
      execution_time: i + 0.5,
      message: status === 'error' ? 'Binder Error: column x not found' : null,
      failures: null,
      adapter_response: { rows_affected: 10 * i },
    })),
    elapsed_time: 12.5,
  });
}

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

describe('dbt arguments', () => {
  it('passes target, selection, vars (as YAML), state and deferral', () => {
    expect(
      dbtArgs({
        command: 'build',
        target: 'local',
        select: ['state:modified+'],
        exclude: ['tag:slow'],
        vars: { correlation_id: 'abc', gold_mart_locations: { a: '/x' } },
        state: '/state',
        defer: true,
        targetPath: '/t',
      }),
    ).toEqual([
      'build',
      '--target',
      'local',
      '--select',
      'state:modified+',
      '--exclude',
      'tag:slow',
      '--vars',
      '{ correlation_id: abc, gold_mart_locations: { a: /x } }',
      '--state',
      '/state',
      '--defer',
      '--target-path',
      '/t',
    ]);
    expect(dbtArgs({ command: 'docs', target: 'prod' })).toEqual([
      'docs',
      'generate',
      '--target',
      'prod',
    ]);
    expect(
      dbtArgs({
        command: 'run-operation',
        target: 'local',
        operation: 'drop_ci_schema',
        operationArgs: { schema_name: 'main_pr_1' },
      }),
    ).toEqual([
      'run-operation',
      'drop_ci_schema',
      '--args',
      '{ schema_name: main_pr_1 }',
      '--target',
      'local',
    ]);
  });

  it('resolves dbt from DBT_BIN or the repo venv, and says how to fix a missing one', () => {
    expect(resolveDbtBinary({})).toMatch(/\.venv\/bin\/dbt$/);
    expect(() => resolveDbtBinary({ DBT_BIN: '/nope/dbt' })).toThrow(DbtRunnerError);
    expect(() => resolveDbtBinary({ DBT_BIN: '/nope/dbt' })).toThrow(/set DBT_BIN/);
  });
});

describe('run_results summary', () => {
  it('summarises the real build: every node, its status and timing', () => {
    const summary = outcome.summary;
    // 16 models, 13 unit tests, a snapshot, a hook and about 90 data tests.
    expect(summary?.nodes.length).toBeGreaterThan(100);
    expect(summary?.ok).toBe(true);
    // Models, the snapshot and the on-run-start hook report success; tests report pass.
    expect(summary?.counts['success']).toBe(
      summary?.nodes.filter((node) =>
        ['model', 'snapshot', 'operation'].includes(node.resourceType),
      ).length,
    );
    expect(summary?.counts['success']).toBeGreaterThanOrEqual(17);
    expect(summary?.nodes.every((node) => node.seconds >= 0)).toBe(true);
    expect(summary?.invocationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('re-parses the real run_results.json it uploaded', async () => {
    const runResultsFile = outcome.artifacts.find(
      (artifact) => artifact.file === 'run_results.json',
    );
    const summary = summarizeRunResults(await readFile(runResultsFile?.location ?? '', 'utf8'));
    expect(summary.invocationId).toBe(outcome.summary?.invocationId);
    expect(formatSummaryTable(summary)).toMatch(/daily_portfolio_summary/);
  });

  it('lists failed nodes and prints a table with rows and seconds', () => {
    const summary = summarizeRunResults(runResults(['success', 'error', 'skipped', 'fail']));
    expect(summary.ok).toBe(false);
    expect(summary.failed.map((node) => node.name)).toEqual(['model_1', 'model_3']);
    expect(summary.nodes[2]?.rowsAffected).toBe(20);
    const table = formatSummaryTable(summary);
    expect(table.split('\n')[0]).toMatch(/^status\s+type\s+node\s+rows\s+seconds$/);
    expect(table).toMatch(/4 nodes in 12\.5 s: 1 success, 1 error, 1 skipped, 1 fail/);
  });

  it('rejects run_results of the wrong shape', () => {
    expect(() => summarizeRunResults('{"results": 3}')).toThrow(/unexpected shape/);
    expect(() => summarizeRunResults('not json')).toThrow(DbtRunnerError);
  });

  it('emits one CloudWatch EMF metrics line', () => {
    const line = JSON.parse(
      runMetricsLine(summarizeRunResults(runResults(['success', 'error'])), { Env: 'dev' }),
    ) as Record<string, unknown>;
    expect(line['NodesFailed']).toBe(1);
    expect(line['NodesSucceeded']).toBe(1);
    expect(line['Env']).toBe('dev');
    expect(JSON.stringify(line['_aws'])).toContain('Finks/dbt');
  });
});

describe('exit codes', () => {
  it('maps dbt outcomes to the runner exit code with a clear message', () => {
    const ok = summarizeRunResults(runResults(['success']));
    const failed = summarizeRunResults(runResults(['success', 'error']));
    expect(exitCodeFor(0, ok)).toBe(EXIT_CODES.ok);
    expect(exitCodeFor(1, failed)).toBe(EXIT_CODES.nodesFailed);
    expect(exitCodeFor(2, undefined)).toBe(EXIT_CODES.dbtError);
    expect(exitCodeFor(1, undefined)).toBe(EXIT_CODES.dbtError);
    expect(exitMessage(EXIT_CODES.nodesFailed, failed)).toBe(
      'dbt failed: 1 node(s) failed: model model_1 (error)',
    );
    expect(exitMessage(EXIT_CODES.dbtError, undefined)).toMatch(/before producing results/);
    // A warning does not fail the run, but the message names it.
    const warned = summarizeRunResults(runResults(['success', 'warn']));
    expect(exitCodeFor(0, warned)).toBe(EXIT_CODES.ok);
    expect(exitMessage(EXIT_CODES.ok, warned)).toBe(
      'dbt finished: 2 nodes ok, 1 warned: model model_1',
    );
    expect(exitMessage(EXIT_CODES.ok, ok)).toBe('dbt finished: 1 nodes ok');
  });

  it('runs a dbt binary, reads the run_results it wrote and exits non-zero on failures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-dbt-'));
    const fake = join(dir, 'dbt');
    await writeFile(join(dir, 'failing.json'), runResults(['success', 'fail']));
    // A stand-in for dbt: writes run_results.json into --target-path and exits 1, as dbt does.
    await writeFile(
      fake,
      `#!/bin/sh\nwhile [ "$#" -gt 0 ]; do if [ "$1" = "--target-path" ]; then out="$2"; fi; shift; done\ncp "${dir}/failing.json" "$out/run_results.json"\necho "fake dbt log"\nexit 1\n`,
    );
    await chmod(fake, 0o755);
    const result = await runDbt({
      command: 'test',
      env: 'local',
      environment: localTargetEnvironment({
        lake: build.lake,
        duckdbPath: join(dir, 'x.duckdb'),
        exportGold: false,
      }),
      targetPath: join(dir, 'target'),
      dbtBinary: fake,
      projectDir: dir,
      log: sink(),
    });
    expect(result.dbtExitCode).toBe(1);
    expect(result.exitCode).toBe(EXIT_CODES.nodesFailed);
    expect(result.message).toBe('dbt failed: 1 node(s) failed: model model_1 (fail)');
  });

  it('returns the usage exit code for a bad command line', async () => {
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect(await runCli(['no-such-command'])).toBe(EXIT_CODES.usage);
      expect(await runCli(['build', '--vars', '[1]', '--env', 'local'])).toBe(EXIT_CODES.usage);
    } finally {
      process.stderr.write = stderr;
    }
  });
});

describe('target environments', () => {
  it('names every Athena resource from iam-names and lake-paths', () => {
    const prod = athenaTargetEnvironment({
      env: 'prod',
      accountId: '210987654321',
      region: 'ca-central-1',
    });
    expect(prod.target).toBe('prod');
    expect(prod.env).toMatchObject({
      FINKS_DBT_SCHEMA: 'finks_prod_gold',
      FINKS_ATHENA_WORKGROUP: 'finks-prod-dbt-runner-dbt',
      FINKS_ATHENA_S3_STAGING_DIR: 's3://finks-prod-athena-results-210987654321/dbt/',
      FINKS_AWS_REGION: 'ca-central-1',
    });
    expect(prod.vars).toMatchObject({
      silver_schema: 'finks_prod_silver',
      gold_mart_locations: {
        var_calculations: 's3://finks-prod-gold-210987654321/mart=var_calculations/',
      },
    });
  });

  it('points the local target at the lake buckets', () => {
    const local = localTargetEnvironment({ lake: build.lake, duckdbPath: '/tmp/x.duckdb' });
    // As env vars read only while running, not vars: the parse stays the same for every lake.
    expect(local.vars).toEqual({});
    expect(local.runEnv['FINKS_SILVER_ROOT']).toBe(
      join(build.lake.lakeRoot, 'finks-local-silver-123456789012'),
    );
    expect(JSON.parse(local.runEnv['FINKS_GOLD_MART_LOCATIONS'] ?? '{}')).toMatchObject({
      monthly_performance: join(
        build.lake.lakeRoot,
        'finks-local-gold-123456789012',
        'mart=monthly_performance/',
      ),
    });
    expect(local.foldersToCreate).toContain(
      join(build.lake.lakeRoot, 'finks-local-gold-123456789012', 'mart=monthly_performance/'),
    );
  });
});

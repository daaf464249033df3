// A deployable flow that fails counts one failed run (the FlowRunsFailed EMF line the
// flow-runs-failed alarm reads from the worker's stdout) and rethrows; a subflow's failure is
// counted once, for the outermost flow — the deployment that was scheduled.
import { flow, PrefectInterruptedError } from '@finks/prefect';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { correlationParameter } from './correlation';
import { deployableFlow, reportsItsFailures } from './deployable-flow';
import { ingestionFmpFlow } from './ingestion/fmp';
import { targetParameters } from './target';

const parameters = z.object({ ...targetParameters, ...correlationParameter });
type Parameters = z.input<typeof parameters>;

/** The FlowRunsFailed documents printed since the test began. */
let failedRuns: () => Record<string, unknown>[];

beforeEach(() => {
  // The notice has no channel but the config's alert topic (moto), whatever blocks exist.
  vi.stubEnv('FINKS_SLACK_WEBHOOK_URL', '');
  const log = vi.spyOn(console, 'log');
  failedRuns = () =>
    log.mock.calls
      .map(([line]) => {
        try {
          return JSON.parse(String(line)) as Record<string, unknown>;
        } catch {
          return null;
        }
      })
      .filter((document) => document !== null && 'FlowRunsFailed' in document)
      .map((document) => document as Record<string, unknown>);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const failing = (name: string, error: Error) =>
  deployableFlow(
    { name, parameters, firstStep: 'first-step' },
    async (_params: Parameters, step): Promise<never> => {
      step.name = 'second-step';
      throw error;
    },
  );

describe('deployableFlow', () => {
  it('counts a failed run once, in its environment, and rethrows the same error', async () => {
    const error = new Error('RunTask refused');
    await expect(
      failing('test-fails-alone', error)({ env: 'dev', correlationId: 'c-1' }),
    ).rejects.toBe(error);
    expect(failedRuns()).toEqual([
      expect.objectContaining({
        Environment: 'dev',
        Flow: 'test-fails-alone',
        FlowRunsFailed: 1,
        correlation_id: 'c-1',
      }),
    ]);
  });

  it("counts a subflow's failure once, for the outermost flow, when it fails that run", async () => {
    const inner = failing('test-inner-fails', new Error('glue job failed'));
    const outer = deployableFlow({ name: 'test-outer', parameters }, async (params: Parameters) =>
      inner(params),
    );
    await expect(outer({ env: 'dev', correlationId: 'c-2' })).rejects.toThrow('glue job failed');
    expect(failedRuns().map((document) => document['Flow'])).toEqual(['test-outer']);
  });

  it('counts nothing when the outer flow survives its subflow failing', async () => {
    const inner = failing('test-inner-survived', new Error('one source down'));
    const outer = deployableFlow(
      { name: 'test-outer-survives', parameters },
      async (params: Parameters) => inner(params).catch(() => 'partial'),
    );
    expect(await outer({ env: 'dev', correlationId: 'c-3' })).toBe('partial');
    expect(failedRuns()).toEqual([]);
  });

  it('counts nothing for a run interrupted from outside (cancelled), and rethrows', async () => {
    const error = new PrefectInterruptedError('Execution was interrupted by SIGTERM.');
    await expect(
      failing('test-cancelled', error)({ env: 'dev', correlationId: 'c-cancel' }),
    ).rejects.toBe(error);
    expect(failedRuns()).toEqual([]);
  });

  it('counts only in AWS environments (the local lake has no alarm)', async () => {
    await expect(failing('test-fails-locally', new Error('x'))({ env: 'local' })).rejects.toThrow(
      'x',
    );
    expect(failedRuns()).toEqual([]);
  });

  it('is told apart from a plain flow (pipelines:validate asks every deployment)', () => {
    expect(reportsItsFailures(failing('test-marked', new Error('x')))).toBe(true);
    expect(reportsItsFailures(flow('test-plain', () => 1))).toBe(false);
  });
});

describe('a scheduled flow that fails before any ECS task exists', () => {
  it('ingestion-fmp without the ECS network counts one failed run', async () => {
    vi.stubEnv('FINKS_ECS_SUBNETS', '');
    vi.stubEnv('FINKS_ECS_SECURITY_GROUPS', '');
    await expect(
      ingestionFmpFlow({ env: 'dev', symbols: ['AAPL'], datasets: ['eod_prices'] }),
    ).rejects.toThrow(/ECS tasks need FINKS_ECS_SUBNETS and FINKS_ECS_SECURITY_GROUPS/);
    expect(failedRuns()).toEqual([
      expect.objectContaining({ Environment: 'dev', Flow: 'ingestion-fmp', FlowRunsFailed: 1 }),
    ]);
  });
});

// transformation-bronze-to-silver locally: which batches it reads is a parameter; a backfill
// (`all`) needs dates, a rebuild takes none, and `pending` without dates reads the catch-up window
// — what the deployment runs on its own. The rule is in the parameter schema, so a run that breaks
// it fails before it starts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrefectError } from '@finks/prefect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { bronzeToSilverFlow } from '../../src/flows/transformation/bronze-to-silver';
import {
  batchSelectionProblem,
  type DatasetCleansingSummary,
} from '../../src/transformation/bronze-to-silver/bronze-to-silver';
import {
  CATCH_UP_DAYS,
  catchUpDates,
} from '../../src/transformation/bronze-to-silver/catch-up-window';
import {
  writeBronzeRun,
  bronzeLine,
} from '../../src/transformation/bronze-to-silver/testing/bronze-fixture';

const RUN = '20261125T220000Z-flow01';
let dir: string;

/** One eod_prices record of `dt` in its own bronze run. */
const writeEodRun = (lakeRoot: string, dt: string, runId: string, symbol = 'AAPL') =>
  writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', dt, runId, [
    bronzeLine('fmp', 'eod_prices', runId, `${dt}T22:00:00.000Z`, 0, {
      symbol,
      date: dt,
      open: 10,
      high: 12,
      low: 9,
      close: 11,
      volume: 100,
    }),
  ]);

/** The UTC day `days` before today, as a bronze `dt`. */
const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** Why the flow refused its parameters: the issue messages of the schema's ZodError. */
async function refusal(run: Promise<unknown>): Promise<string[]> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PrefectError);
  const cause = (error as Error).cause;
  expect(cause).toBeInstanceOf(ZodError);
  return (cause as ZodError).issues.map((issue) => issue.message);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-b2s-flow-'));
  await writeEodRun(join(dir, 'lake'), '2026-11-25', RUN);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transformation-bronze-to-silver (local)', () => {
  const base = () => ({
    env: 'local',
    lakeRoot: join(dir, 'lake'),
    datasets: ['fmp.eod_prices'],
    dates: [] as string[],
    batches: 'all' as const,
  });
  type Summary = {
    dates: string[];
    bronzeBatches: number;
    valid: number;
    batchesAlreadyCleansed: number;
    silverPartitions: string[];
  };
  const summaries = async (run: Promise<unknown>) => (await run) as Summary[];

  it('asks a backfill for its dates, and a rebuild for none, before the run starts', async () => {
    expect(await refusal(bronzeToSilverFlow(base()))).toEqual([batchSelectionProblem('all', [])]);
    expect(await refusal(bronzeToSilverFlow({ env: 'local', lakeRoot: base().lakeRoot }))).toEqual([
      batchSelectionProblem('all', []),
    ]);
    const [rebuildProblem] = await refusal(
      bronzeToSilverFlow({ ...base(), dates: ['2026-11-25'], batches: 'rebuild' }),
    );
    expect(rebuildProblem).toContain(
      'a rebuild reads every bronze date of each dataset, so it takes no dates (got 2026-11-25)',
    );
  });

  it('cleanses the given dates, then nothing pending, then everything on a rebuild', async () => {
    const [all] = await summaries(bronzeToSilverFlow({ ...base(), dates: ['2026-11-25'] }));
    expect(all).toMatchObject({ bronzeBatches: 1, valid: 1 });
    const [pending] = await summaries(
      bronzeToSilverFlow({ ...base(), dates: ['2026-11-25'], batches: 'pending' }),
    );
    expect(pending).toMatchObject({ bronzeBatches: 0, batchesAlreadyCleansed: 1 });
    const [rebuilt] = await summaries(bronzeToSilverFlow({ ...base(), batches: 'rebuild' }));
    expect(rebuilt).toMatchObject({ dates: ['2026-11-25'], bronzeBatches: 1 });
  });
});

describe('transformation-bronze-to-silver, batches "pending" without dates (the deployment)', () => {
  let lakeRoot: string;
  const today = daysAgo(0);
  const inWindow = daysAgo(3);
  const beforeWindow = daysAgo(CATCH_UP_DAYS + 2);

  beforeAll(async () => {
    lakeRoot = join(dir, 'window-lake');
    await writeEodRun(lakeRoot, today, '20261127T010000Z-today1');
    await writeEodRun(lakeRoot, inWindow, '20261124T010000Z-inwin1', 'MSFT');
    await writeEodRun(lakeRoot, beforeWindow, '20261116T010000Z-older1', 'NVDA');
  });

  const run = async () =>
    (
      (await bronzeToSilverFlow({
        env: 'local',
        lakeRoot,
        datasets: ['fmp.eod_prices'],
        batches: 'pending',
      })) as DatasetCleansingSummary[]
    )[0];

  it("cleanses the catch-up window's pending batches, and leaves older days to a backfill", async () => {
    const first = await run();
    expect(first?.dates).toEqual(catchUpDates(new Date()));
    expect(first?.dates).toHaveLength(CATCH_UP_DAYS + 1);
    expect(first).toMatchObject({ bronzeBatches: 2, batchesAlreadyCleansed: 0, valid: 2 });
    expect(first?.silverPartitions).toEqual([inWindow, today].sort());
    expect(first?.silverPartitions).not.toContain(beforeWindow);

    // The next scheduled run finds them in the ledger and reads nothing again.
    expect(await run()).toMatchObject({ bronzeBatches: 0, batchesAlreadyCleansed: 2 });
  });
});

// A bronze lake of `fmp.eod_prices` shaped like the connector's (apps/ingestion BronzeRun: one run,
// gzip NDJSON parts of 50,000 envelopes, a manifest), without running the master flow: the
// cleansing bench needs only the input, and generating it takes seconds instead of minutes.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bronzeBatchKey, bronzeManifestKey, bucketName } from '@finks/lake-paths';

const PART_RECORDS = 50_000;

export interface SyntheticBronzeOptions {
  readonly lakeRoot: string;
  readonly symbols: number;
  readonly years: number;
  /** One record in `badEvery` is broken in a way the contract rejects (0: none). */
  readonly badEvery: number;
  readonly dt: string;
  readonly runId: string;
}

/** Deterministic, so two runs of the bench read the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function tradingDays(years: number, until: string): string[] {
  const days: string[] = [];
  const day = new Date(`${until}T00:00:00Z`);
  const first = new Date(day);
  first.setUTCFullYear(first.getUTCFullYear() - years);
  for (; day > first; day.setUTCDate(day.getUTCDate() - 1)) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day.toISOString().slice(0, 10));
  }
  return days.reverse();
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The kinds of bad record the sample bronze holds, one after the other. */
const BREAKAGES: readonly ((payload: Record<string, unknown>) => unknown)[] = [
  (p) => ({ ...p, low: Number(p['high']) + 1 }),
  (p) => ({ ...p, volume: 1.5 }),
  (p) => ({ ...p, close: String(p['close']) }),
  (p) => ({ ...p, date: '2025-02-30' }),
  (p) => {
    const { symbol: _dropped, ...rest } = p;
    return rest;
  },
];

/** Writes the bronze and returns how many records it holds. */
export async function writeSyntheticEodBronze(options: SyntheticBronzeOptions): Promise<number> {
  const bucket = bucketName({ env: 'local', zone: 'bronze', accountId: '123456789012' });
  const days = tradingDays(options.years, options.dt);
  const fetchedAt = `${options.dt}T22:00:05.123Z`;
  const ref = { source: 'fmp', dataset: 'eod_prices', dt: options.dt, runId: options.runId };
  const parts: { key: string; rows: number; bytes: number; sha256: string }[] = [];
  let lines: string[] = [];
  let written = 0;
  let bad = 0;
  const flush = async () => {
    if (lines.length === 0) return;
    const key = bronzeBatchKey({ ...ref, part: parts.length });
    const body = gzipSync(`${lines.join('\n')}\n`, { level: 1 });
    await mkdir(join(options.lakeRoot, bucket, key, '..'), { recursive: true });
    await writeFile(join(options.lakeRoot, bucket, key), body);
    parts.push({
      key,
      rows: lines.length,
      bytes: body.byteLength,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    lines = [];
  };
  for (let s = 0; s < options.symbols; s++) {
    const symbol = `S${String(s).padStart(4, '0')}`;
    const next = random(s + 1);
    const params = { symbol, from: days[0] ?? options.dt, to: options.dt };
    const where = `/stable/historical-price-eod/full?${new URLSearchParams(params).toString()}`;
    let previous = 20 + next() * 280;
    // Newest first, as FMP serves them.
    for (let i = days.length - 1; i >= 0; i--) {
      const close = Math.max(0.5, previous * (1 + 0.02 * (next() - 0.5)));
      const open = previous * (1 + 0.004 * (next() - 0.5));
      const high = Math.max(open, close) * (1 + 0.01 * next());
      const low = Math.min(open, close) * (1 - 0.01 * next());
      let payload: unknown = {
        symbol,
        date: days[i],
        open: round(open),
        high: round(high),
        low: round(low),
        close: round(close),
        volume: Math.floor(1e5 + next() * 5e6),
        change: round(close - previous),
        changePercent: round(((close - previous) / previous) * 100, 4),
        vwap: round((high + low + close) / 3, 4),
      };
      if (options.badEvery > 0 && written % options.badEvery === options.badEvery - 1) {
        const breakage = BREAKAGES[bad++ % BREAKAGES.length];
        if (breakage) payload = breakage(payload as Record<string, unknown>);
      }
      previous = close;
      lines.push(
        JSON.stringify({
          source: 'fmp',
          dataset: 'eod_prices',
          endpoint: '/stable/historical-price-eod/full',
          request: params,
          fetched_at: fetchedAt,
          run_id: options.runId,
          source_offset: `${where}#${days.length - 1 - i}`,
          payload,
        }),
      );
      written++;
      if (lines.length >= PART_RECORDS) await flush();
    }
  }
  await flush();
  const manifest = {
    version: 1,
    zone: 'bronze',
    ...ref,
    createdAt: new Date().toISOString(),
    rowCount: written,
    parts,
  };
  await writeFile(
    join(options.lakeRoot, bucket, bronzeManifestKey(ref)),
    JSON.stringify(manifest, null, 2),
  );
  return written;
}

// Axis arithmetic for the hand-drawn SVG charts: linear scales, round tick values, labels.
import type { ChartUnit } from './chart-model';

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD date: the x coordinate of dated charts. */
export const dayNumber = (date: string): number =>
  Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);

export const dateOfDay = (day: number): string =>
  new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): LinearScale {
  const span = d1 - d0;
  const scale = (value: number) =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0);
  return Object.assign(scale, { domain: [d0, d1] as const });
}

/** About `count` round values (1, 2 or 5 × 10^k apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  // Repeated addition drifts (0.30000000000000004): round each tick to the step's precision.
  for (let tick = Math.floor(min / step) * step; ; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= max) break;
  }
  return ticks;
}

export function formatValue(value: number, unit: ChartUnit): string {
  if (unit === 'ratio') return `${(value * 100).toFixed(Math.abs(value) < 0.1 ? 2 : 1)} %`;
  const abs = Math.abs(value);
  const [divisor, suffix] =
    abs >= 1e9 ? [1e9, 'B'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'k'] : [1, ''];
  const scaled = abs / divisor;
  const digits = Number.isInteger(scaled) ? 0 : scaled < 10 ? 2 : 1;
  return `${value < 0 ? '-' : ''}${unit === 'usd' ? '$' : ''}${Number(scaled.toFixed(digits))}${suffix}`;
}

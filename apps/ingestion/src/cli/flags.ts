import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isoDate(value: string): string {
  const match = ISO_DATE.exec(value);
  const date = new Date(`${value}T00:00:00Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a real date YYYY-MM-DD.');
  }
  return value;
}

export function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a whole number above 0.');
  return Number(value);
}

export function positiveNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError('expected a number above 0.');
  }
  return number;
}

export function nonNegativeNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError('expected a number of 0 or more.');
  }
  return number;
}

/** "5" or "5%" → 0.05. */
export function percentage(value: string): number {
  const number = Number(value.replace(/%$/, ''));
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 100) {
    throw new InvalidArgumentError('expected a percentage from 0 to 100, e.g. 5 or 5%.');
  }
  return number / 100;
}

export function listOf<T extends string>(allowed: readonly T[]) {
  return (value: string): T[] => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
    if (items.length === 0 || unknown.length > 0) {
      throw new InvalidArgumentError(
        `unknown ${unknown.join(', ') || '(empty)'}; expected a comma-separated list of ${allowed.join(', ')}.`,
      );
    }
    return items as T[];
  };
}

const TICKER = /^[A-Za-z0-9^][A-Za-z0-9.\-^=_/]{0,29}$/;

export function symbolList(value: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = items.filter((item) => !TICKER.test(item));
  if (items.length === 0 || bad.length > 0) {
    throw new InvalidArgumentError(`not ticker symbols: ${bad.join(', ') || '(empty)'}.`);
  }
  return items;
}

/** One symbol per line (or comma-separated); `#` starts a comment. */
export function readUniverseFile(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return symbolList(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean)
      .join(','),
  );
}

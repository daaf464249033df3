// The tickers the scheduled FMP ingestion covers: apps/pipelines/deploy/universe.txt, one per
// line, `#` comments. A file in the repository so a change to the universe is reviewed and
// deployed like any other change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../master-flow/app-commands';

const TICKER = /^[A-Z0-9.^-]{1,15}$/;

export const UNIVERSE_FILE = join(workspaceRoot, 'apps/pipelines/deploy/universe.txt');

export function readUniverse(file = UNIVERSE_FILE): string[] {
  const tickers: string[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') return;
      if (!TICKER.test(line)) {
        throw new Error(
          `${file}:${index + 1}: "${line}" is not an FMP ticker (upper-case letters, digits, . ^ -)`,
        );
      }
      tickers.push(line);
    });
  if (tickers.length === 0) throw new Error(`${file} lists no tickers; add one per line`);
  return [...new Set(tickers)];
}

// Usage: tsx tools/workspace-checks/src/cli/test-summary.ts <results-dir> [expected,projects]
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summarise } from '../test-summary';

const [resultsDir = '.finks/test-results', expected = ''] = process.argv.slice(2);
const results = new Map<string, string>();
for (const file of await readdir(resultsDir).catch(() => [])) {
  if (/\.(json|xml)$/.test(file)) results.set(file, await readFile(join(resultsDir, file), 'utf8'));
}
const summary = summarise(results, expected.split(',').filter(Boolean));
for (const line of summary.lines) console.log(line);
process.exitCode = summary.ok ? 0 : 1;

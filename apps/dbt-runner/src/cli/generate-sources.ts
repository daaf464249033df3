// Writes dbt/models/staging/_sources.yml from @finks/contracts; `--check` fails on drift instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../app-root';
import {
  GENERATE_SOURCES_COMMAND,
  SOURCES_FILE,
  formatProjectSources,
} from '../sources/render-sources';

const path = join(APP_ROOT, SOURCES_FILE);
const expected = await formatProjectSources();
if (process.argv.includes('--check')) {
  let actual = '';
  try {
    actual = readFileSync(path, 'utf8');
  } catch {
    // missing counts as drift
  }
  if (actual !== expected) {
    console.error(
      `${SOURCES_FILE} differs from the contracts. Run \`${GENERATE_SOURCES_COMMAND}\`.`,
    );
    process.exit(1);
  }
  console.log(`${SOURCES_FILE} is up to date`);
} else {
  writeFileSync(path, expected);
  console.log(`wrote ${SOURCES_FILE}`);
}

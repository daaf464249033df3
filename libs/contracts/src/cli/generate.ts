/**
 * Writes the generated contract files (or, with --check, verifies them).
 *
 *   npx nx run contracts:generate            # = tsx libs/contracts/src/cli/generate.ts
 *   tsx libs/contracts/src/cli/generate.ts --check
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkGeneratedFiles } from '../drift/check-generated-files';
import { CONTRACTS } from '../registry';
import { GENERATE_COMMAND } from '../render/contracts-json';
import { renderGeneratedFiles } from '../render/generated-files';
import { CONTRACTS_LIB_ROOT } from '../lib-root';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const files = renderGeneratedFiles(CONTRACTS);

if (values.check) {
  const report = checkGeneratedFiles(CONTRACTS_LIB_ROOT, files, GENERATE_COMMAND);
  if (!report.ok) {
    console.error(report.message);
    process.exitCode = 1;
  } else {
    console.log(`${files.length} generated files are up to date.`);
  }
} else {
  for (const file of files) {
    const target = join(CONTRACTS_LIB_ROOT, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    console.log(`wrote libs/contracts/${file.path}`);
  }
}

// npm-audit: `npm audit --omit=dev` with a threshold (AUDIT_LEVEL, default high). Runtime
// dependencies only: dev tools never ship in an image or a Lambda.
import { spawnSync } from 'node:child_process';
import { auditVerdict, SEVERITIES, type Severity } from '../npm-audit.ts';

const level = (process.env['AUDIT_LEVEL'] ?? 'high') as Severity;
if (!SEVERITIES.includes(level)) {
  process.stderr.write(`npm-audit: AUDIT_LEVEL must be one of ${SEVERITIES.join(', ')}\n`);
  process.exit(2);
}
const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const verdict = auditVerdict(result.stdout, level);
const strict = process.env['GITHUB_ACTIONS'] === 'true' || process.env['AUDIT_STRICT'] === '1';
switch (verdict.kind) {
  case 'pass':
    process.stdout.write(
      `npm audit: nothing at or above ${level} (${JSON.stringify(verdict.counts)})\n`,
    );
    break;
  case 'fail':
    process.stderr.write(
      `npm audit: ${verdict.packages.length} runtime package(s) at or above ${level}:\n` +
        `  ${verdict.packages.join('\n  ')}\nRun \`npm audit --omit=dev\` for the fixes.\n`,
    );
    process.exitCode = 1;
    break;
  case 'unavailable':
    process.stderr.write(
      `npm audit: the registry gave no audit report (${verdict.reason}); ` +
        (strict
          ? 'failing, as on GitHub Actions.\n'
          : 'skipped here, enforced on GitHub Actions.\n'),
    );
    if (strict) process.exitCode = 1;
    break;
}

// Where Debian's chromium is: tools/dev-env/chromium.sh installs it (bootstrap runs that script).
// The test never installs it itself: a missing browser is a set-up step, named in the error.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RunReportError } from './run-report-error';

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const INSTALL_HINT =
  "run `bash tools/dev-env/chromium.sh` (installs Debian's chromium) or set FINKS_CHROMIUM to a Chromium binary";

/** `explicit`, else FINKS_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium. */
export function chromiumPath(explicit?: string): string {
  const chosen = explicit ?? process.env['FINKS_CHROMIUM'];
  if (chosen) {
    if (isExecutable(chosen)) return chosen;
    throw new RunReportError(
      'chromium_missing',
      `Chromium not found at ${chosen}: ${INSTALL_HINT}`,
    );
  }
  const candidates = [
    ...(process.env['PATH'] ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'chromium')),
    '/usr/bin/chromium',
  ];
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new RunReportError('chromium_missing', `Chromium is not installed: ${INSTALL_HINT}`);
}

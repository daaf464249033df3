import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedFile } from '../render/generated-files';

export type GeneratedFileStatus = 'up_to_date' | 'differs' | 'missing';

export interface GeneratedFileCheck {
  readonly path: string;
  readonly status: GeneratedFileStatus;
  /** 1-based first line that differs, for `differs`. */
  readonly firstDifferentLine?: number;
}

export interface DriftReport {
  readonly ok: boolean;
  readonly files: readonly GeneratedFileCheck[];
  /** One line per stale file and the command that fixes it; empty when `ok`. */
  readonly message: string;
}

/**
 * Compares the files under `root` with what the contracts render now. The committed copies are
 * what the Glue job and dbt read, so a contract change without a regeneration must fail CI.
 */
export function checkGeneratedFiles(
  root: string,
  expected: readonly GeneratedFile[],
  regenerateCommand: string,
): DriftReport {
  const files = expected.map((file): GeneratedFileCheck => {
    let actual: string;
    try {
      actual = readFileSync(join(root, file.path), 'utf8');
    } catch {
      return { path: file.path, status: 'missing' };
    }
    if (actual === file.content) return { path: file.path, status: 'up_to_date' };
    return {
      path: file.path,
      status: 'differs',
      firstDifferentLine: firstDifferentLine(actual, file.content),
    };
  });
  const stale = files.filter((file) => file.status !== 'up_to_date');
  const message = stale
    .map((file) =>
      file.status === 'missing'
        ? `${file.path} is missing`
        : `${file.path} differs from the contracts (first at line ${file.firstDifferentLine})`,
    )
    .concat(stale.length > 0 ? [`Run \`${regenerateCommand}\` and commit the result.`] : [])
    .join('\n');
  return { ok: stale.length === 0, files, message };
}

function firstDifferentLine(actual: string, expected: string): number {
  const [a, b] = [actual.split('\n'), expected.split('\n')];
  const index = a.findIndex((line, i) => line !== b[i]);
  return (index === -1 ? a.length : index) + 1;
}

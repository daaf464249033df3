import { readFileSync } from 'node:fs';

const lock = readFileSync(new URL('../python/requirements.lock', import.meta.url), 'utf8');

/** The version python/requirements.lock pins for a PyPI package. */
export function pinnedVersion(pkg: string): string {
  const match = new RegExp(
    `^${pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\[[^\\]]*\\])?==([^\\s;]+)`,
    'm',
  ).exec(lock);
  if (!match?.[1]) throw new Error(`python/requirements.lock pins no ${pkg}`);
  return match[1];
}

/** The project's venv, linked at the repo root by python-env.sh (which services.sh runs). */
export const VENV_BIN = new URL('../../../.venv/bin/', import.meta.url).pathname;

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MotoResetError } from './errors/moto-reset-error';
import { ServiceNotRunningError } from './errors/service-not-running-error';
import { SERVICE_URL_ENV, type ServiceName } from './service-names';
import { defaultRunDir } from './services-script';

/**
 * A service's URL: its environment variable first (set by servicesGlobalSetup in every test
 * worker, or by `source .finks/run/services.env`), else the URL file services.sh wrote.
 */
export function serviceUrl(service: ServiceName): string {
  const envVar = SERVICE_URL_ENV[service];
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  const urlFile = join(defaultRunDir(), `${service}.url`);
  if (existsSync(urlFile)) {
    const fromFile = readFileSync(urlFile, 'utf8').trim();
    if (fromFile) return fromFile;
  }
  throw new ServiceNotRunningError(service, envVar, urlFile);
}

/** moto's endpoint, e.g. `http://127.0.0.1:5000`: every AWS service is served there. */
export function motoEndpoint(): string {
  return serviceUrl('moto');
}

/** FerretDB's connection string, e.g. `mongodb://127.0.0.1:27017/` (no auth). */
export function mongoUri(): string {
  return serviceUrl('ferretdb');
}

/** The Prefect server's API base, e.g. `http://127.0.0.1:4200/api` (ends in /api). */
export function prefectApiUrl(): string {
  return serviceUrl('prefect');
}

/**
 * Empties every moto backend (`POST /moto-api/reset`). moto is shared by every test process that
 * uses it, including other Nx projects running at the same time: reset only where a project
 * has moto to itself, and otherwise keep tests apart with unique bucket and resource names.
 */
export async function resetMoto(endpoint: string = motoEndpoint()): Promise<void> {
  const url = `${endpoint.replace(/\/+$/, '')}/moto-api/reset`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST' });
  } catch (error) {
    throw new MotoResetError(endpoint, undefined, error);
  }
  await response.body?.cancel();
  if (!response.ok) throw new MotoResetError(endpoint, response.status);
}

import { randomBytes } from 'node:crypto';
import { parseEnv } from 'node:util';
import type { TestProject } from 'vitest/node';
import {
  SERVICE_NAMES,
  SERVICE_URL_ENV,
  type ServiceName,
  type ServiceUrls,
} from './service-names';
import { runServicesScript, type ServicesScriptOptions } from './services-script';

/** What servicesGlobalSetup hands to every test through vitest's provide/inject. */
export interface ProvidedServices {
  readonly urls: ServiceUrls;
  /** AWS_ENDPOINT_URL, AWS_REGION, MONGODB_URI, PREFECT_API_URL, … for child processes. */
  readonly env: Readonly<Record<string, string>>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    finksServices: ProvidedServices;
  }
}

export interface RunningServices extends ProvidedServices {
  /**
   * Gives the services back. A service this call had to start is stopped once no other test run
   * still uses it; a service that was already running (CI, a developer's `services.sh start`)
   * is left alone.
   */
  teardown(): Promise<void>;
}

export type SetupServicesOptions = ServicesScriptOptions;

/**
 * Makes sure the named services run and are healthy (starting and installing what is missing
 * through tools/dev-env/services.sh) and returns their URLs and environment. Rejects with a
 * ServicesCommandError carrying the script's explanation when a service cannot be started, so
 * the tests that need it fail rather than skip.
 */
export async function setupServices(
  names: readonly ServiceName[],
  options: SetupServicesOptions = {},
): Promise<RunningServices> {
  const services = names.length > 0 ? [...new Set(names)] : [...SERVICE_NAMES];
  // The pid lets services.sh drop the lease of a test process that died without tearing down.
  const lease = `${process.pid}.${randomBytes(6).toString('hex')}`;

  const started = await runServicesScript(['start', '--lease', lease, ...services], options);
  if (started.stderr) process.stderr.write(started.stderr);
  const teardown = async () => {
    const stopped = await runServicesScript(['stop', '--lease', lease, ...services], options);
    if (stopped.stderr) process.stderr.write(stopped.stderr);
  };

  let env: Record<string, string>;
  try {
    const { stdout } = await runServicesScript(['env', ...services], options);
    env = Object.fromEntries(
      Object.entries(parseEnv(stdout)).filter((entry): entry is [string, string] => !!entry[1]),
    );
  } catch (error) {
    await teardown();
    throw error;
  }
  const urls: ServiceUrls = {};
  for (const service of services) {
    const url = env[SERVICE_URL_ENV[service]];
    if (url) urls[service] = url;
  }
  return { urls, env, teardown };
}

/**
 * A vitest globalSetup for the named services. Use it as the default export of a setup file:
 *
 *     // tests/global-setup.ts
 *     import { servicesGlobalSetup } from '@finks/dev-services';
 *     export default servicesGlobalSetup(['moto', 'ferretdb']);
 *
 * Tests then reach the services two ways: the environment (AWS_ENDPOINT_URL, MONGODB_URI,
 * PREFECT_API_URL, … — set here before vitest starts its workers, which inherit it, and read by
 * motoEndpoint(), mongoUri(), prefectApiUrl() and the SDKs) and `inject('finksServices')`.
 */
export function servicesGlobalSetup(
  names: readonly ServiceName[],
  options: SetupServicesOptions = {},
): (project: TestProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const running = await setupServices(names, options);
    Object.assign(process.env, running.env);
    project.provide('finksServices', { urls: running.urls, env: running.env });
    return running.teardown;
  };
}

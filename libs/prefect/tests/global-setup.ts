// The Prefect server the integration tests run against: the dev services' (started through
// tools/dev-env/services.sh when it is not running, and stopped again afterwards if this run
// started it). A server that cannot be started fails the run: these tests are never skipped.
import { setupServices } from '@finks/dev-services';
import type { TestProject } from 'vitest/node';
import { waitForPrefectHealth } from '../src/testing/prefect-server';

declare module 'vitest' {
  export interface ProvidedContext {
    prefectApiUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await setupServices(['prefect']);
  const apiUrl = services.urls.prefect;
  if (!apiUrl) {
    await services.teardown();
    throw new Error('tools/dev-env/services.sh started Prefect but reported no PREFECT_API_URL.');
  }
  await waitForPrefectHealth(apiUrl, 60_000);
  project.provide('prefectApiUrl', apiUrl);
  return services.teardown;
}

import type { ServiceName } from '../service-names';
import { DevServicesError } from './dev-services-error';

/** A helper was asked for a service's URL but neither the environment nor the run dir has it. */
export class ServiceNotRunningError extends DevServicesError {
  override readonly name = 'ServiceNotRunningError';
  readonly code = 'not_running' as const;

  constructor(
    readonly service: ServiceName,
    envVar: string,
    urlFile: string,
  ) {
    super(
      `${service} is not running for this process: ${envVar} is unset and ${urlFile} does not exist. ` +
        `Start it with \`bash tools/dev-env/services.sh start ${service}\`, or add ` +
        `servicesGlobalSetup(['${service}']) from @finks/dev-services to the project's vitest globalSetup.`,
    );
  }
}

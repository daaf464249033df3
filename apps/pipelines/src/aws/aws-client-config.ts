import { loadConfig, type FinksConfig } from '@finks/config';

export interface AwsClientSettings {
  /** Default: the config's region. */
  readonly region?: string;
  /** Default: `loadConfig()` (FINKS_ENV, FINKS_CONFIG_DIR). */
  readonly config?: FinksConfig;
}

/**
 * Constructor settings for an SDK client. The region is the platform's (config) region rather than
 * AWS_REGION, so the tasks talk to where the infrastructure is; the endpoint is left to the SDK,
 * which reads AWS_ENDPOINT_URL (moto locally) by itself.
 */
export function awsClientConfig(settings: AwsClientSettings = {}): { region: string } {
  return { region: settings.region ?? (settings.config ?? loadConfig()).region };
}

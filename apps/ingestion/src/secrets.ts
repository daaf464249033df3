import { IngestionError } from './errors';

export interface SecretSource {
  /** Local override, e.g. FMP_API_KEY. */
  readonly envVar: string;
  /** Secrets Manager name from config (`finks/<env>/fmp-api-key`, see @finks/iam-names). */
  readonly secretName: string;
  readonly region: string;
  /** Whether to ask Secrets Manager when the variable is unset. */
  readonly useSecretsManager: boolean;
}

/**
 * The variable wins (local runs, tests); otherwise Secrets Manager, which honours
 * AWS_ENDPOINT_URL so moto works. Errors name where to put the secret, never its value.
 */
export async function resolveSecret(
  source: SecretSource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const fromEnv = env[source.envVar];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!source.useSecretsManager) {
    throw new IngestionError(
      'config',
      `${source.envVar} is not set; set it, or store the secret "${source.secretName}" in Secrets Manager and set AWS_ENDPOINT_URL or FINKS_ENV to reach it`,
    );
  }
  // Imported here: local runs take the variable and need not load the SDK at every start.
  const { GetSecretValueCommand, SecretsManagerClient } =
    await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region: source.region });
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: source.secretName }));
    if (result.SecretString === undefined || result.SecretString === '') {
      throw new IngestionError('config', `secret "${source.secretName}" has no string value`);
    }
    return result.SecretString;
  } catch (error) {
    if (error instanceof IngestionError) throw error;
    throw new IngestionError(
      'config',
      `could not read secret "${source.secretName}" from Secrets Manager (${(error as Error).name}); set ${source.envVar} or create the secret`,
    );
  } finally {
    client.destroy();
  }
}

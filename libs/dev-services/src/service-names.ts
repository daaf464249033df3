/** The local services tools/dev-env/services.sh runs; see tools/dev-env/README.md. */
export const SERVICE_NAMES = ['moto', 'ferretdb', 'prefect'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The URL each running service is reached at, keyed by service. */
export type ServiceUrls = Partial<Record<ServiceName, string>>;

/**
 * The environment variable that carries each service's URL. Clients read these names directly
 * (the AWS SDKs honour AWS_ENDPOINT_URL), so they are the contract between setup and tests.
 */
export const SERVICE_URL_ENV: Readonly<Record<ServiceName, string>> = {
  moto: 'AWS_ENDPOINT_URL',
  ferretdb: 'MONGODB_URI',
  prefect: 'PREFECT_API_URL',
};

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

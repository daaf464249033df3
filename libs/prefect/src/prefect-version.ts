/**
 * The Prefect server version this lib is generated from and tested against. The committed
 * schema (`src/generated/prefect-<version>.openapi.json`) and the types generated from it must
 * come from exactly this version; `tools/dev-env/python/requirements.lock` pins the same one.
 */
export const PINNED_PREFECT_VERSION = '3.9.1';

/** The REST API version Prefect 3.9.1 reports at `GET /api/version`. */
export const PREFECT_API_VERSION = '0.8.4';

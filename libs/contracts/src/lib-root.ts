import { fileURLToPath } from 'node:url';

/** libs/contracts, where `generated/` lives; found from this file's place in `src/`. */
export const CONTRACTS_LIB_ROOT = fileURLToPath(new URL('..', import.meta.url));

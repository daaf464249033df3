/** Stable codes callers can branch on; messages are for people and may change. */
export type ContractErrorCode = 'invalid_contract' | 'unknown_contract' | 'invalid_manifest';

/** Base of every error this lib throws. A record failing its contract is not an error: see `validateRecord`. */
export abstract class ContractError extends Error {
  abstract readonly code: ContractErrorCode;
}

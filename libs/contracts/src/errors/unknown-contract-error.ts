import { ContractError } from './contract-error';

export class UnknownContractError extends ContractError {
  override readonly name = 'UnknownContractError';
  readonly code = 'unknown_contract' as const;

  constructor(source: string, dataset: string, known: readonly string[]) {
    super(`No contract for ${source}.${dataset}; known: ${known.join(', ')}`);
  }
}

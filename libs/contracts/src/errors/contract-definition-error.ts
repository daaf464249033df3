import { ContractError } from './contract-error';

/**
 * A contract contradicts itself (a key column that does not exist, a nullable cursor…). Thrown
 * when the contract module loads, so a mistake fails every test rather than a nightly job.
 */
export class ContractDefinitionError extends ContractError {
  override readonly name = 'ContractDefinitionError';
  readonly code = 'invalid_contract' as const;

  constructor(contract: string, problems: readonly string[]) {
    super(
      `Contract ${contract} is inconsistent:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
}

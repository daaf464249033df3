import { ContractError } from './contract-error';

/**
 * A batch's `_manifest.json` cannot be trusted: not JSON, or not the manifest format. Readers
 * stop rather than guess which parts hold the batch.
 */
export class BatchManifestError extends ContractError {
  override readonly name = 'BatchManifestError';
  readonly code = 'invalid_manifest' as const;

  constructor(
    readonly location: string,
    problems: readonly string[],
  ) {
    super(
      `The batch manifest at ${location} cannot be read:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        'Rerun the ingestion that wrote the batch, or move its run folder aside to skip it.',
    );
  }
}

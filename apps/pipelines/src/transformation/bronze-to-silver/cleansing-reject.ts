import type { QuarantineReason } from '@finks/contracts';

/**
 * One record the cleansing rejected, as filed in quarantine: the bronze envelope as it arrived
 * (or `{raw_line}` when no object shows it as it arrived) plus why and by which run.
 */
export interface CleansingReject {
  readonly reasons: readonly QuarantineReason[];
  readonly rejected_by: { readonly stage: 'bronze_to_silver'; readonly run_id: string };
}

import { describeDrift, type DriftReport } from './drift-report';

/**
 * Bronze no longer fits the contracts: a source added, dropped or retyped a field. The cleansing
 * quarantines what it cannot read, so nothing is lost, but the contract (or the connector) needs
 * a look before the quarantine grows.
 */
export class SchemaDriftError extends Error {
  override name = 'SchemaDriftError';

  constructor(readonly reports: readonly DriftReport[]) {
    super(
      `schema drift in ${reports.length} dataset${reports.length === 1 ? '' : 's'}: ` +
        `${reports.map(describeDrift).join(' | ')}. Update the contract in libs/contracts if the ` +
        'source changed on purpose (then regenerate and redeploy), else ask the source why',
    );
  }
}

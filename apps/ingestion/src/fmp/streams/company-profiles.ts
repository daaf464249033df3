import { fmpCompanyProfiles } from '@finks/contracts';
import type { FmpStream } from './stream';

/** A snapshot: every run reads every profile again. */
export const companyProfilesStream: FmpStream = {
  contract: fmpCompanyProfiles,
  cursorField: null,
  plan: ({ symbols }) =>
    symbols.map((symbol) => ({
      entity: null,
      endpoint: 'profile',
      params: { symbol },
      paged: false,
      after: null,
    })),
};

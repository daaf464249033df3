// Parameters the transformation flows share: which datasets, which bronze dates, and the lake
// run id a run files its output under.
import { CONTRACTS } from '@finks/contracts';
import { z } from 'zod';

export const CONTRACT_IDS = CONTRACTS.map((c) => c.id);

export const datasetsParameter = z
  .array(z.enum(CONTRACT_IDS as [string, ...string[]]))
  .min(1)
  .optional()
  .describe('contract ids such as fmp.eod_prices (default: every contract)');

export const bronzeDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a bronze dt as YYYY-MM-DD');

export const lakeRunIdParameter = (what: string) =>
  z
    .string()
    .regex(/^\d{8}T\d{6}Z-[a-z0-9]{6}$/, 'a lake run id like 20261126T010000Z-ab12cd')
    .optional()
    .describe(`${what}; default: a new one`);

import { z } from 'zod';
import { closedObject } from './closed-object';
import { positiveInt } from './scalars';

export const DEFAULT_FMP_BASE_URL = 'https://financialmodelingprep.com/stable';

export const FMP_PLANS = ['basic', 'starter', 'premium', 'ultimate'] as const;

const fmpBaseUrlSchema = z
  .url({ protocol: /^https$/, error: 'must be an https URL' })
  // FMP retired /api/v3 and /api/v4 on 2025-08-31: new accounts get 403 "Legacy Endpoint".
  .refine((url) => !/\/api\/v\d+\/?$/.test(new URL(url).pathname), {
    error: 'the legacy /api/v3 and /api/v4 endpoints are shut down; use .../stable',
  })
  .transform((url) => url.replace(/\/+$/, ''))
  .default(DEFAULT_FMP_BASE_URL);

/** The subscription's limits, which the ingestion client's rate limiter must stay under. */
export const fmpSchema = closedObject({
  plan: z.enum(FMP_PLANS),
  baseUrl: fmpBaseUrlSchema,
  callsPerMinute: positiveInt,
  /** `null` for plans without a daily cap (paid plans limit bandwidth instead). */
  callsPerDay: positiveInt.nullable(),
}).superRefine((fmp, context) => {
  if (fmp.callsPerDay !== null && fmp.callsPerMinute > fmp.callsPerDay) {
    context.addIssue({
      code: 'custom',
      path: ['callsPerMinute'],
      message: `is more than callsPerDay (${fmp.callsPerDay})`,
    });
  }
});

export type FmpConfig = z.output<typeof fmpSchema>;

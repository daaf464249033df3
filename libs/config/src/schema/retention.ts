import type { z } from 'zod';
import { closedObject } from './closed-object';
import { logRetentionDaysSchema, positiveInt, wholeNumber } from './scalars';

// S3 refuses a lifecycle rule that moves objects to Standard-IA before they are 30 days old, or
// on to a Glacier class before they have spent 30 days in Standard-IA.
const S3_MIN_DAYS_BEFORE_IA = 30;
const S3_MIN_DAYS_IN_IA = 30;

export const retentionSchema = closedObject({
  /** Bronze objects move to S3 Standard-IA after this many days. */
  bronzeInfrequentAccessDays: wholeNumber().min(S3_MIN_DAYS_BEFORE_IA, {
    error: `S3 moves objects to Standard-IA no earlier than ${S3_MIN_DAYS_BEFORE_IA} days`,
  }),
  /**
   * …and to Glacier Instant Retrieval after this many days (counted from creation), which
   * GetObject still reads without a restore.
   */
  bronzeGlacierDays: positiveInt,
  /** Quarantined records are deleted after this many days. */
  quarantineExpirationDays: positiveInt,
  /** Overwritten or deleted object versions are kept this many days (versioned buckets). */
  noncurrentVersionExpirationDays: positiveInt,
  /** CloudWatch Logs retention for every log group the platform creates. */
  logRetentionDays: logRetentionDaysSchema,
}).superRefine((retention, context) => {
  const earliestGlacier = retention.bronzeInfrequentAccessDays + S3_MIN_DAYS_IN_IA;
  if (retention.bronzeGlacierDays < earliestGlacier) {
    context.addIssue({
      code: 'custom',
      path: ['bronzeGlacierDays'],
      message: `must be at least bronzeInfrequentAccessDays + ${S3_MIN_DAYS_IN_IA} (${earliestGlacier}): S3 keeps objects in Standard-IA ${S3_MIN_DAYS_IN_IA} days before Glacier`,
    });
  }
});

export type RetentionConfig = z.output<typeof retentionSchema>;

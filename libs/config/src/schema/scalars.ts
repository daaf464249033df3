import { z } from 'zod';
import { AWS_REGION_PATTERN, DEFAULT_REGION } from '../rules/aws-region';
import { isLogRetentionDays, logRetentionProblem } from '../rules/log-retention';
import { SECRET_NAME_EXAMPLE, isSecretName } from '../rules/secrets';

export const awsRegionSchema = z
  .string()
  .regex(AWS_REGION_PATTERN, {
    error: 'is not an AWS region code (expected the shape of "ca-central-1")',
  })
  .default(DEFAULT_REGION)
  .brand<'AwsRegion'>();

/**
 * A string, not a number: account ids may start with 0, and YAML would read an unquoted
 * `012345678901` as the number 12345678901.
 */
export const awsAccountIdSchema = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? 'quote the account id ("123456789012"): as a YAML number it would lose leading zeros'
        : undefined,
  })
  .regex(/^\d{12}$/, { error: 'must be exactly 12 digits' })
  .brand<'AwsAccountId'>();

export const secretNameSchema = z
  .string()
  .refine(isSecretName, {
    error: `must be a Secrets Manager secret name: lowercase segments separated by "/", like "${SECRET_NAME_EXAMPLE}"`,
  })
  .brand<'SecretName'>();

/**
 * A whole number. Not `z.number().int()`: zod marks that failure as aborting, which silences the
 * cross-field checks too, and the config error should list every independent problem.
 */
export function wholeNumber() {
  return z.number().refine(Number.isSafeInteger, { error: 'must be a whole number' });
}

export const positiveInt = wholeNumber().positive();

export const logRetentionDaysSchema = wholeNumber().refine(isLogRetentionDays, {
  error: (issue) => logRetentionProblem(Number(issue.input)),
});

export type AwsRegion = z.output<typeof awsRegionSchema>;
export type AwsAccountId = z.output<typeof awsAccountIdSchema>;
export type SecretName = z.output<typeof secretNameSchema>;

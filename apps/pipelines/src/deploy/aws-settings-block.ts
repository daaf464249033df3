// The `finks-aws-settings` block type: where an environment's resources are, by name. Values
// come from libs/config and libs/iam-names; secrets appear only as Secrets Manager names.
import { z } from 'zod';

export const AWS_SETTINGS_BLOCK_TYPE = {
  slug: 'finks-aws-settings',
  name: 'Finks AWS settings',
  description:
    "An environment's region, account, lake buckets, ECS and Glue names and secret references.",
} as const;

export const awsSettingsFields = z.object({
  region: z.string(),
  accountId: z.string(),
  lakeKind: z.string(),
  buckets: z.record(z.string(), z.string()),
  ecsCluster: z.string(),
  taskFamilies: z.record(z.string(), z.string()),
  glueJobs: z.record(z.string(), z.string()),
  alertTopic: z.string().nullable(),
  secretNames: z.record(z.string(), z.string().nullable()),
});

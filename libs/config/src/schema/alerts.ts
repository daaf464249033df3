import { z } from 'zod';
import { closedObject } from './closed-object';
import { secretNameSchema } from './scalars';

export const alertsSchema = closedObject({
  /** Subscribed to the alerts SNS topic; each must confirm the subscription by email. */
  emails: z.array(z.email({ error: 'is not an email address' })),
  /** Secrets Manager secret holding the Slack incoming-webhook URL; `null` for no Slack. */
  slackWebhookSecretName: secretNameSchema.nullable(),
  /** Whether to create the SNS alerts topic (alarms and failed flows publish to it). */
  snsTopic: z.boolean(),
}).superRefine((alerts, context) => {
  if (alerts.emails.length > 0 && !alerts.snsTopic) {
    context.addIssue({
      code: 'custom',
      path: ['snsTopic'],
      message:
        'email alerts are delivered through the SNS topic: set snsTopic to true or remove the emails',
    });
  }
});

/** The names (never the values) of the secrets the tasks read at run time. */
export const secretNamesSchema = closedObject({
  fmpApiKey: secretNameSchema,
  mongodbUri: secretNameSchema,
});

export type AlertsConfig = z.output<typeof alertsSchema>;
export type SecretNamesConfig = z.output<typeof secretNamesSchema>;

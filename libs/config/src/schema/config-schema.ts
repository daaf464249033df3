import { z } from 'zod';
import { ENVIRONMENTS } from '../environments';
import { isSecretName } from '../rules/secrets';
import { alertsSchema, secretNamesSchema } from './alerts';
import { closedObject } from './closed-object';
import { ecsSchema } from './ecs';
import { fmpSchema } from './fmp';
import { lakeSchema } from './lake';
import { retentionSchema } from './retention';
import { awsAccountIdSchema, awsRegionSchema } from './scalars';
import { schedulesSchema } from './schedules';

/**
 * Runs a cross-field check unless one of the fields it reads failed. Zod skips refinements on an
 * object with a problem anywhere inside it; we want every independent problem in one pass, so
 * each check names what it depends on (and reads the rest defensively).
 */
function unlessFailed(...dependencies: string[]) {
  // An issue blocks a check when it is at, inside or above a field the check reads.
  const overlaps = (a: string, b: string) =>
    a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  return {
    when: (payload: z.core.ParsePayload) =>
      !payload.issues.some((issue) =>
        dependencies.some((dependency) => overlaps((issue.path ?? []).join('.'), dependency)),
      ),
  };
}

/** The shape of `config/<env>.yaml`. Unknown keys are errors at every level. */
export const finksConfigSchema = closedObject({
  env: z.enum(ENVIRONMENTS),
  region: awsRegionSchema,
  accountId: awsAccountIdSchema,
  lake: lakeSchema,
  retention: retentionSchema,
  ecs: ecsSchema,
  schedules: schedulesSchema,
  fmp: fmpSchema,
  alerts: alertsSchema,
  secretNames: secretNamesSchema,
})
  .superRefine(
    (config, context) => {
      const expected = config.env === 'local' ? 'filesystem' : 's3';
      if (config.lake.kind !== expected) {
        context.addIssue({
          code: 'custom',
          path: ['lake', 'kind'],
          message: `must be "${expected}" for env ${config.env} (local runs on the filesystem lake, AWS environments on S3)`,
        });
      }
    },
    unlessFailed('env', 'lake.kind'),
  )
  .superRefine((config, context) => {
    // IAM grants each environment's tasks `finks/<env>/*`; a name outside it would be either
    // unreadable or, worse, another environment's secret. Values that are not secret names at
    // all were reported by their own field, so only well-formed names are checked here.
    const named: [readonly (string | number)[], unknown][] = [
      [['secretNames', 'fmpApiKey'], config.secretNames?.fmpApiKey],
      [['secretNames', 'mongodbUri'], config.secretNames?.mongodbUri],
      [['alerts', 'slackWebhookSecretName'], config.alerts?.slackWebhookSecretName],
    ];
    for (const [path, name] of named) {
      // A prefix, not just a segment: `finks/dev/prod/x` contains "prod" yet sits in dev's
      // namespace, which is exactly the cross-environment read this check exists to stop.
      const prefix = `finks/${config.env}/`;
      if (typeof name === 'string' && isSecretName(name) && !name.startsWith(prefix)) {
        context.addIssue({
          code: 'custom',
          path: [...path],
          message: `must start with "${prefix}" (got ${JSON.stringify(name)}): IAM lets env ${config.env}'s tasks read only secrets under "${prefix}*"`,
        });
      }
    }
  }, unlessFailed('env'));

export type FinksConfig = z.output<typeof finksConfigSchema>;
/** What a YAML file may contain before defaults are applied. */
export type FinksConfigInput = z.input<typeof finksConfigSchema>;

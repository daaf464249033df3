// Public API of @finks/config: environment configuration, validated with zod.
export { loadConfig, resolveEnv, DEFAULT_CONFIG_DIR, type LoadConfigOptions } from './load-config';
export { parseConfig } from './parse-config';
export { finksConfigSchema, type FinksConfig, type FinksConfigInput } from './schema/config-schema';
export {
  lakeSchema,
  DEFAULT_LOCAL_LAKE_ROOT,
  type LakeConfig,
  type FilesystemLakeConfig,
  type S3LakeConfig,
} from './schema/lake';
export { retentionSchema, type RetentionConfig } from './schema/retention';
export {
  ecsSchema,
  fargateSizeSchema,
  ECS_TASK_NAMES,
  type EcsConfig,
  type EcsTaskKey,
  type FargateSize,
} from './schema/ecs';
export { scheduleSchema, cronSchema, timeZoneSchema, type Schedule } from './schema/schedules';
export { fmpSchema, DEFAULT_FMP_BASE_URL, FMP_PLANS, type FmpConfig } from './schema/fmp';
export {
  alertsSchema,
  secretNamesSchema,
  type AlertsConfig,
  type SecretNamesConfig,
} from './schema/alerts';
export { ENVIRONMENTS, DEFAULT_ENV, isFinksEnv, type FinksEnv } from './environments';
export { DEFAULT_REGION } from './rules/aws-region';
export type { AwsRegion, AwsAccountId, SecretName } from './schema/scalars';
export { cronProblems, isValidCron, CRON_FIELDS, type CronField } from './rules/cron';
export { timeZoneProblem } from './rules/timezone';
export { PREFECT_TIME_ZONES } from './rules/prefect-time-zones';
export {
  FARGATE_MEMORY_BY_CPU,
  FARGATE_CPU_UNITS,
  fargateSizeProblem,
  type FargateSizeProblem,
} from './rules/fargate';
export { LOG_RETENTION_DAYS, type LogRetentionDays } from './rules/log-retention';
export { isSecretName, secretLikeReason, SECRET_NAME_PATTERN } from './rules/secrets';
export { formatPath, formatIssue, type ConfigIssue } from './issues';
export { ConfigError, type ConfigErrorCode } from './errors/config-error';
export { ConfigValidationError } from './errors/config-validation-error';
export { ConfigSyntaxError } from './errors/config-syntax-error';
export { UnknownEnvironmentError } from './errors/unknown-environment-error';
export { ConfigFileNotFoundError } from './errors/config-file-not-found-error';

// @finks/prefect — a TypeScript client, flow/task runtime and worker for Prefect 3's REST API.

export { PINNED_PREFECT_VERSION, PREFECT_API_VERSION } from './prefect-version';

// Errors
export { PrefectError, type PrefectErrorCode } from './errors/prefect-error';
export {
  PrefectApiError,
  type PrefectExceptionDetail,
  type PrefectRequestContext,
} from './errors/prefect-api-error';
export { PrefectConnectionError } from './errors/prefect-connection-error';
export { PrefectConfigurationError } from './errors/prefect-configuration-error';
export { PrefectArgumentError } from './errors/prefect-argument-error';

// Client
export {
  createPrefectClient,
  unwrap,
  unwrapOptional,
  type PrefectApi,
  type PrefectClient,
  type PrefectClientStats,
  type PrefectSchemas,
} from './client/client';
export {
  prefectSettingsFromEnv,
  normalizeApiUrl,
  type PrefectClientSettings,
  type PrefectEnv,
} from './client/settings';
export { RETRYABLE_STATUSES, parseRetryAfterMs } from './client/retry';
export { MAX_PAGE_SIZE, paginate, collectPages, type PageRequest } from './client/paging';
export type {
  paths as PrefectPaths,
  components as PrefectComponents,
} from './generated/prefect-api';

// Runtime
export {
  flow,
  isFlow,
  PrefectFlowRunError,
  type AnyFlow,
  type Flow,
  type FlowArguments,
  type FlowOptions,
  type FlowParameters,
} from './runtime/flow';
export { task, type Task, type TaskOptions } from './runtime/task';
export { PrefectOrchestrationAbort, PrefectTimeoutError } from './runtime/engine';
export { PrefectInterruptedError } from './runtime/interruption';
export {
  createMarkdownArtifact,
  createTableArtifact,
  type ArtifactOptions,
  type TableRow,
} from './runtime/artifacts';
export { getRunContext, getRunLogger, type RunInfo } from './runtime/run-context';
export { LOG_LEVELS, type LogLevelName, type RunLogger } from './runtime/run-logger';
export {
  configurePrefectRuntime,
  flushPrefectLogs,
  type PrefectRuntime,
  type PrefectRuntimeOptions,
} from './runtime/runtime';
export type { State, StateType, OrchestrationResult } from './runtime/states';
export type { TaskRunReporterOptions } from './runtime/task-run-reporter';

// Worker
export { Worker, runWorker, type WorkerOptions, type WorkerStats } from './worker/worker';
export {
  FINKS_WORKER_TYPE,
  finksBaseJobTemplate,
  resolveJobConfiguration,
  type FinksBaseJobTemplate,
  type FinksJobConfiguration,
} from './worker/job-template';
export { loadFlowFromEntrypoint, splitEntrypoint } from './worker/entrypoint';

// As code
export type { Applied, ApplyAction } from './as-code/apply-result';
export { applyFlow, type FlowSpec } from './as-code/flows';
export {
  applyWorkPool,
  applyWorkQueue,
  type WorkPoolSpec,
  type WorkQueueSpec,
} from './as-code/work-pools';
export { applyDeployment, type CronScheduleSpec, type DeploymentSpec } from './as-code/deployments';
export { parameterSchemaFromZod } from './as-code/parameter-schema';
export {
  applyBlock,
  applyBlockDocument,
  applyBlockSchema,
  applyBlockType,
  blockFieldsFromZod,
  type AppliedBlock,
  type BlockDocumentSpec,
  type BlockSchemaSpec,
  type BlockSpec,
  type BlockTypeSpec,
} from './as-code/blocks';
export { applyVariable, type VariableSpec, type VariableValue } from './as-code/variables';
export {
  applyAutomation,
  flowRunFailureNotification,
  type AutomationSpec,
  type FlowRunFailureNotificationSpec,
} from './as-code/automations';

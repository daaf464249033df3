// Public API of the dbt runner, for a pipelines flow or a test: run dbt against the local lake
// or an Athena env, read its results, run slim CI.
export { runLocalDbt, type LocalDbtRunOptions } from './local';
export { runDbt, type DbtRunOutcome, type RunDbtOptions } from './runner';
export { runSlimCi, type SlimCiOptions, type SlimCiOutcome, type SlimCiState } from './slim-ci';
export { assertCiSchema, CI_SCHEMA_PATTERN, pullRequestSchema } from './ci/ci-schema';
export { dropCiSchema, type DropCiSchemaOptions } from './ci/drop-ci-schema';
export { slimCiSelection, type SlimCiSelection } from './ci/slim-ci-selection';
export {
  athenaTargetEnvironment,
  dbtAthenaWorkgroup,
  localTargetEnvironment,
  type AthenaTargetOptions,
  type LocalTargetOptions,
  type TargetEnvironment,
} from './dbt/target-environment';
export {
  DBT_COMMANDS,
  dbtArgs,
  type DbtCommand,
  type DbtInvocation,
  type DbtVars,
} from './dbt/dbt-args';
export { resolveDbtBinary } from './dbt/dbt-binary';
export {
  formatSummaryTable,
  summarizeRunResults,
  type NodeSummary,
  type RunSummary,
} from './dbt/run-results';
export { EXIT_CODES, exitCodeFor, exitMessage, type ExitCode } from './exit-code';
export { runMetricsLine } from './metrics';
export {
  LocalArtifactStore,
  S3ArtifactStore,
  type ArtifactStore,
} from './artifacts/artifact-store';
export {
  EXTRA_ARTIFACTS,
  uploadArtifacts,
  type UploadedArtifact,
} from './artifacts/upload-artifacts';
export {
  GOLD_MARTS,
  localGoldMartFile,
  localGoldMartLocations,
  localSilverDatasetPath,
  localSilverRoot,
  type GoldMart,
  type LocalLake,
} from './lake/local-lake';
export { formatProjectSources, renderProjectSources, SOURCES_FILE } from './sources/render-sources';
export { DbtRunnerError, type DbtRunnerErrorCode } from './errors/dbt-runner-error';

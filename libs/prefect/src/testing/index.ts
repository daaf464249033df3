// @finks/prefect/testing — helpers for tests against a real Prefect server. Not for runtime code.
export {
  startPrefectServer,
  waitForPrefectHealth,
  freePort,
  defaultPrefectBin,
  workspaceRoot,
  type PrefectServerOptions,
  type PrefectServerProcess,
} from './prefect-server';
export {
  readFlowRunHistory,
  type FlowRunHistory,
  type ReadFlowRunHistoryOptions,
  type TaskRunHistory,
} from './run-history';

import { KeyReader, type KeyLayout } from './key-reader';
import { joinKey, joinPrefix, type LakeKey, type LakePrefix } from './lake-key';
import { DATASET_PATTERN, datasetSegments, readDataset, type DatasetRef } from './partition';
import { parseRunId } from './run-id';

// Schema-drift reports (glue_scripts/validate_schemas.py, and the same check in DuckDB locally):
// one JSON report per dataset per validation run, in the artifacts zone beside the other run
// outputs, so a report can be read back by the flow that asked for it and kept as history.

/** One validation run's report of one dataset. */
export interface DriftReportRef extends DatasetRef {
  /** The validation run (the lake run id it was started with). */
  readonly runId: string;
}

const ROOT = 'drift-reports';
const REPORT = 'report.json';
const KEY_LAYOUT: KeyLayout = {
  name: 'a drift-report key',
  kind: 'key',
  pattern: `${ROOT}/${DATASET_PATTERN}/run=<runId>/${REPORT}`,
};

/** `drift-reports/`: every report (the Glue job's role writes there, the Prefect worker reads). */
export const DRIFT_REPORTS_PREFIX: LakePrefix<'artifacts'> = joinPrefix([ROOT]);

/** `drift-reports/source=<source>/dataset=<dataset>/`: every report of one dataset. */
export function driftReportPrefix(ref: DatasetRef): LakePrefix<'artifacts'> {
  return joinPrefix([ROOT, ...datasetSegments(ref)]);
}

/** `drift-reports/source=<source>/dataset=<dataset>/run=<runId>/report.json` */
export function driftReportKey(ref: DriftReportRef): LakeKey<'artifacts'> {
  return joinKey([ROOT, ...datasetSegments(ref), `run=${parseRunId(ref.runId, 'runId')}`, REPORT]);
}

export function parseDriftReportKey(key: string): DriftReportRef {
  const reader = new KeyReader(key, KEY_LAYOUT);
  reader.literal(ROOT);
  const dataset = readDataset(reader);
  const runId = reader.hive('run', parseRunId);
  reader.literal(REPORT);
  reader.end();
  return { ...dataset, runId };
}

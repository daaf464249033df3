import type { SilverColumn } from './contract';

/**
 * Columns the pipeline adds to every silver table. No leading underscore: Athena's DDL needs
 * backticks around names that start with one, and every dbt model would inherit the quoting.
 */
export const LINEAGE_COLUMNS: readonly SilverColumn[] = [
  {
    name: 'ingested_at',
    type: 'timestamp',
    nullable: false,
    description:
      'When the ingestion run fetched the record (UTC). Freshness checks read this column.',
    sourceField: null,
    encoding: 'pipeline',
  },
  {
    name: 'ingestion_run_id',
    type: 'string',
    nullable: false,
    description: 'The ingestion run that fetched the record; names its bronze batch and manifest.',
    sourceField: null,
    encoding: 'pipeline',
  },
];

/** The column dbt's source freshness reads (`loaded_at_field`). */
export const LOADED_AT_COLUMN = 'ingested_at';

/** The Hive-style partition every silver table has; its value is the date of `partitionBy`. */
export const PARTITION_KEY = 'dt';

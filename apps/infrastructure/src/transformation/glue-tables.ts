import type { DatasetContract, SilverColumn } from '@finks/contracts';
import { bronzeDatasetPrefix, silverDatasetPrefix } from '@finks/lake-paths';

/** A Glue table definition derived from a contract: what `aws.glue.CatalogTable` needs. */
export interface GlueTableSpec {
  readonly name: string;
  readonly description: string;
  readonly location: string;
  readonly columns: readonly { name: string; type: string; comment: string }[];
  readonly partitionKeys: readonly { name: string; type: string; comment: string }[];
  readonly format: 'ndjson' | 'parquet';
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * Bronze holds records exactly as the source sent them (NDJSON, gzip), so its columns are the
 * source's field names, read as strings: a type mismatch there must reach the silver job's
 * validation (and quarantine), not fail the query. The JSON SerDe matches names case-insensitively.
 */
export function bronzeTable(contract: DatasetContract, bucket: string): GlueTableSpec {
  const prefix = bronzeDatasetPrefix({ source: contract.source, dataset: contract.dataset });
  const columns = contract.columns
    .filter(
      (column): column is SilverColumn & { sourceField: string } => column.sourceField !== null,
    )
    .map((column) => ({
      name: column.sourceField.toLowerCase().replace(/[^a-z0-9_]/g, '_'),
      type: 'string',
      comment: truncate(column.description),
    }));
  return {
    name: contract.silverTable,
    description: `Raw ${contract.id} batches as ingested. ${contract.description}`,
    location: `s3://${bucket}/${prefix}`,
    columns,
    partitionKeys: [
      { name: 'dt', type: 'string', comment: 'Ingestion day (YYYY-MM-DD).' },
      { name: 'run', type: 'string', comment: 'Ingestion run id.' },
    ],
    format: 'ndjson',
    parameters: { classification: 'json', compressionType: 'gzip', 'finks.contract': contract.id },
  };
}

/**
 * Silver: the contract's columns with their portable types (valid Hive/Glue types as written),
 * Parquet, partitioned by `dt` with partition projection so Athena needs no partition loading.
 */
export function silverTable(contract: DatasetContract, bucket: string): GlueTableSpec {
  const prefix = silverDatasetPrefix({ source: contract.source, dataset: contract.dataset });
  const location = `s3://${bucket}/${prefix}`;
  const key = contract.partitionKey.name;
  return {
    name: contract.silverTable,
    description: contract.description,
    location,
    columns: contract.columns.map((column) => ({
      name: column.name,
      type: column.type,
      comment: truncate(column.description),
    })),
    partitionKeys: [
      {
        name: key,
        type: 'date',
        comment: `Date of ${contract.partitionKey.derivedFrom}.`,
      },
    ],
    format: 'parquet',
    parameters: {
      classification: 'parquet',
      'parquet.compression': 'SNAPPY',
      'projection.enabled': 'true',
      [`projection.${key}.type`]: 'date',
      [`projection.${key}.format`]: 'yyyy-MM-dd',
      [`projection.${key}.range`]: '2000-01-01,NOW',
      [`projection.${key}.interval`]: '1',
      [`projection.${key}.interval.unit`]: 'DAYS',
      'storage.location.template': `${location}${key}=\${${key}}/`,
      'finks.contract': contract.id,
    },
  };
}

// Glue column comments are limited to 255 characters.
function truncate(text: string): string {
  return text.length <= 255 ? text : `${text.slice(0, 254)}…`;
}

import { z } from 'zod';
import type { SourceEncodingName } from './encodings';
import { ContractDefinitionError } from './errors/contract-definition-error';
import { snakeCase, type FieldMap, type FieldOutput } from './fields/field-spec';
import { violates, type ColumnValue } from './invariants/evaluate';
import { invariantColumns, type Invariant } from './invariants/invariant';
import { LINEAGE_COLUMNS, PARTITION_KEY } from './lineage';
import { RESERVED_COLUMN_NAMES } from './reserved-words';
import type { SilverType } from './silver-types';

/** Where records come from; one dbt source and one bronze prefix per slug. */
export const SOURCES = {
  fmp: 'Financial Modeling Prep stable API (https://financialmodelingprep.com/stable).',
  mongodb: "The portfolio application's MongoDB database.",
} as const;

export type SourceSlug = keyof typeof SOURCES;

export interface SilverColumn {
  /** lowercase snake_case; never a reserved word (see `RESERVED_COLUMN_NAMES`). */
  readonly name: string;
  readonly type: SilverType;
  readonly nullable: boolean;
  readonly description: string;
  /** The raw record's field; `null` for columns the pipeline adds. */
  readonly sourceField: string | null;
  readonly encoding: SourceEncodingName;
  readonly allowedValues?: readonly string[];
  /** A regular expression a json_string column's value must match in full (`FieldMeta`). */
  readonly pattern?: string;
}

/** dbt source freshness thresholds, against `ingested_at`. */
export interface Freshness {
  readonly warnAfterHours: number;
  readonly errorAfterHours: number;
}

export interface ContractDefinition<Fields extends FieldMap> {
  readonly source: SourceSlug;
  /** snake_case; with the source it names the silver table (`fmp_eod_prices`). */
  readonly dataset: string;
  readonly description: string;
  /** The endpoint or collection records come from, for people reading the contract. */
  readonly origin: string;
  /**
   * `incremental`: each run fetches what is newer than the cursor. `snapshot`: each run fetches
   * everything again (no source-side watermark exists), so there is no cursor.
   */
  readonly mode: 'incremental' | 'snapshot';
  readonly fields: Fields;
  /**
   * Silver columns that identify the entity. Silver may hold several versions of it (one per
   * load); the current one has the greatest cursor, or the latest `ingested_at` for snapshots.
   */
  readonly primaryKey: readonly string[];
  /** Silver column holding the incremental watermark; `null` for snapshot datasets. */
  readonly cursor: string | null;
  /** Silver column (date or timestamp) whose date becomes the `dt` partition. */
  readonly partitionBy: string;
  readonly invariants?: readonly Invariant[];
  readonly freshness: Freshness;
  /**
   * Payload fields silver leaves out on purpose, each with the reason. The schema-drift check
   * counts every other field the contract does not read as drift, so a field the source added is
   * either read (a column) or named here once someone has decided it is not needed.
   */
  readonly ignoredFields?: Readonly<Record<string, string>>;
}

/** A validated record: the declared fields, typed, plus whatever else the source sent. */
export type ContractRecord<Fields extends FieldMap> = {
  [Name in keyof Fields]: FieldOutput<Fields[Name]>;
} & { readonly [extra: string]: unknown };

export interface DatasetContract<Fields extends FieldMap = FieldMap> extends Required<
  ContractDefinition<Fields>
> {
  /** `fmp.eod_prices` */
  readonly id: string;
  /** Glue/Athena table name, also dbt's identifier: `fmp_eod_prices`. */
  readonly silverTable: string;
  /** Validates one raw record. Loose: unknown fields pass through (FMP adds fields). */
  readonly schema: z.ZodType<ContractRecord<Fields>>;
  /** Data columns in field order, then `LINEAGE_COLUMNS`. */
  readonly columns: readonly SilverColumn[];
  readonly partitionKey: {
    readonly name: string;
    readonly type: 'date';
    readonly derivedFrom: string;
  };
}

const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
const ORDERABLE: ReadonlySet<string> = new Set(['date', 'timestamp', 'bigint']);

/**
 * Builds a contract from its fields, checking that keys, cursor, partition and invariants refer
 * to columns that exist and fit their role. Throws `ContractDefinitionError` listing every
 * inconsistency.
 */
export function defineContract<const Fields extends FieldMap>(
  definition: ContractDefinition<Fields>,
): DatasetContract<Fields> {
  const id = `${definition.source}.${definition.dataset}`;
  const dataColumns: SilverColumn[] = Object.entries(definition.fields).map(([field, spec]) => ({
    name: spec.meta.columnName ?? snakeCase(field),
    type: spec.meta.type,
    nullable: spec.meta.nullable,
    description: spec.meta.description,
    sourceField: field,
    encoding: spec.meta.encoding,
    ...(spec.meta.allowedValues ? { allowedValues: spec.meta.allowedValues } : {}),
    ...(spec.meta.pattern !== undefined ? { pattern: spec.meta.pattern } : {}),
  }));
  const columns = [...dataColumns, ...LINEAGE_COLUMNS];
  const invariants = definition.invariants ?? [];

  const problems = definitionProblems(definition, columns, dataColumns, invariants);
  if (problems.length > 0) throw new ContractDefinitionError(id, problems);

  const sourceFieldOf = new Map(
    dataColumns.map((column) => [column.name, column.sourceField ?? '']),
  );
  const shape = Object.fromEntries(
    Object.entries(definition.fields).map(([field, spec]) => [field, spec.schema]),
  );
  let schema: z.ZodType = z.looseObject(shape);
  for (const invariant of invariants) {
    const fieldsRead = invariantColumns(invariant).map((column) => sourceFieldOf.get(column));
    const reportedAt = sourceFieldOf.get(invariant.require.column) ?? invariant.require.column;
    schema = schema.superRefine(
      (record, context) => {
        // Invariants read only declared fields, whose schemas yield these value types.
        const values = record as Record<string, ColumnValue>;
        if (violates(invariant, (column) => values[sourceFieldOf.get(column) ?? column])) {
          context.addIssue({
            code: 'custom',
            path: [reportedAt],
            message: `${invariant.description} (invariant ${invariant.name})`,
            params: { invariant: invariant.name },
          });
        }
      },
      // Zod would skip the check when any field failed; run it unless a field it reads did, so
      // a record in quarantine lists every independent reason.
      {
        when: (payload) =>
          !payload.issues.some((issue) => fieldsRead.includes(String(issue.path?.[0]))),
      },
    );
  }

  return {
    ...definition,
    invariants,
    ignoredFields: definition.ignoredFields ?? {},
    id,
    silverTable: `${definition.source}_${definition.dataset}`,
    // The looseObject above is built from `fields`, so its output is ContractRecord<Fields>;
    // zod cannot infer that through Object.fromEntries.
    schema: schema as z.ZodType<ContractRecord<Fields>>,
    columns,
    partitionKey: { name: PARTITION_KEY, type: 'date', derivedFrom: definition.partitionBy },
  };
}

/** The cleansings check a pattern on json_string columns only, so it may sit nowhere else. */
function patternProblems(column: SilverColumn, pattern: string): string[] {
  if (column.type !== 'string' || column.encoding !== 'json_string') {
    return [
      `column "${column.name}" has a pattern but is not a string read as json_string (it is ${column.type} from ${column.encoding}); drop the pattern`,
    ];
  }
  try {
    new RegExp(pattern);
    return [];
  } catch (error) {
    return [
      `column "${column.name}" has a pattern that is not a regular expression (${(error as Error).message})`,
    ];
  }
}

function definitionProblems<Fields extends FieldMap>(
  definition: ContractDefinition<Fields>,
  columns: readonly SilverColumn[],
  dataColumns: readonly SilverColumn[],
  invariants: readonly Invariant[],
): string[] {
  const problems: string[] = [];
  const byName = new Map(columns.map((column) => [column.name, column]));
  const dataNames = new Set(dataColumns.map((column) => column.name));

  if (!SNAKE_CASE.test(definition.dataset))
    problems.push(`dataset "${definition.dataset}" is not snake_case`);
  if (byName.size !== columns.length) {
    const seen = new Set<string>();
    for (const { name } of columns) {
      if (seen.has(name)) problems.push(`column "${name}" is defined twice`);
      seen.add(name);
    }
  }
  for (const column of columns) {
    if (!SNAKE_CASE.test(column.name) || column.name.length > 255) {
      problems.push(`column "${column.name}" is not a lowercase snake_case name`);
    }
    if (RESERVED_COLUMN_NAMES.has(column.name)) {
      problems.push(
        `column "${column.name}" is a reserved word in Athena/Spark SQL; rename it with .named()`,
      );
    }
    if (column.name === PARTITION_KEY)
      problems.push(`column "${PARTITION_KEY}" is reserved for the partition key`);
    if (column.allowedValues && column.type !== 'string') {
      problems.push(`column "${column.name}" lists allowed values but is not a string`);
    }
    if (column.pattern !== undefined) problems.push(...patternProblems(column, column.pattern));
  }

  const role = (
    name: string,
    what: string,
    check: (column: SilverColumn) => string | undefined,
  ) => {
    const column = byName.get(name);
    if (column === undefined) problems.push(`${what} "${name}" is not a column`);
    else {
      const problem = check(column);
      if (problem !== undefined) problems.push(`${what} "${name}" ${problem}`);
    }
  };
  if (definition.primaryKey.length === 0) problems.push('primary key is empty');
  for (const name of definition.primaryKey) {
    role(name, 'primary key column', (column) => (column.nullable ? 'is nullable' : undefined));
  }
  if (definition.mode === 'incremental') {
    if (definition.cursor === null) problems.push('an incremental dataset needs a cursor');
    else {
      role(definition.cursor, 'cursor', (column) =>
        column.nullable
          ? 'is nullable'
          : ORDERABLE.has(column.type)
            ? undefined
            : `has type ${column.type}; a watermark must be a date, timestamp or bigint`,
      );
    }
  } else if (definition.cursor !== null) {
    problems.push('a snapshot dataset has no cursor (set it to null)');
  }
  role(definition.partitionBy, 'partition column', (column) =>
    column.nullable
      ? 'is nullable'
      : column.type === 'date' || column.type === 'timestamp'
        ? undefined
        : `has type ${column.type}; dt is derived from a date or timestamp`,
  );

  const invariantNames = new Set<string>();
  for (const invariant of invariants) {
    if (!SNAKE_CASE.test(invariant.name))
      problems.push(`invariant "${invariant.name}" is not snake_case`);
    if (invariantNames.has(invariant.name))
      problems.push(`invariant "${invariant.name}" is defined twice`);
    invariantNames.add(invariant.name);
    for (const name of invariantColumns(invariant)) {
      if (!dataNames.has(name))
        problems.push(`invariant "${invariant.name}" reads "${name}", which is not a data column`);
    }
  }

  const readFields = new Set(Object.keys(definition.fields));
  for (const [field, reason] of Object.entries(definition.ignoredFields ?? {})) {
    if (readFields.has(field))
      problems.push(`field "${field}" is both read and ignored; drop it from ignoredFields`);
    if (reason.trim() === '')
      problems.push(`ignored field "${field}" needs a reason (why silver leaves it out)`);
  }

  const { warnAfterHours, errorAfterHours } = definition.freshness;
  if (!(warnAfterHours > 0 && warnAfterHours < errorAfterHours)) {
    problems.push(
      `freshness must warn before it errors (warn ${warnAfterHours}h, error ${errorAfterHours}h)`,
    );
  }
  return problems;
}

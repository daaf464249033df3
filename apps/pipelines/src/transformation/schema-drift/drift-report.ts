// The schema-drift report: what glue_scripts/validate_schemas.py prints and stores, field for
// field, so a report reads the same whichever engine wrote it (the conformance test compares
// them).
import { z } from 'zod';

export interface FieldCount {
  readonly field: string;
  readonly records: number;
}

export interface TypeChange {
  readonly field: string;
  readonly encoding: string;
  /** The JSON types the encoding takes (the contracts' `jsonTypes`), sorted. */
  readonly expected: readonly string[];
  /** Records by the JSON type they had instead. */
  readonly observed: Readonly<Record<string, number>>;
}

export interface DriftReport {
  readonly dataset: string;
  readonly run_id: string;
  readonly dates: readonly string[];
  readonly bronze_parts: number;
  readonly records: number;
  /** Lines that are not JSON, not an object, or whose payload is not an object. */
  readonly unreadable_records: number;
  /** Payload fields the contract neither reads nor ignores, by how many records have them. */
  readonly unknown_fields: readonly FieldCount[];
  /** Required fields absent or null. */
  readonly missing_required_fields: readonly FieldCount[];
  readonly type_changes: readonly TypeChange[];
  /** Any unknown field, missing required field or type change (unreadable lines are the
   * cleansing's quarantine, not drift). */
  readonly drift: boolean;
}

/** One line per kind of drift, for logs and notifications: `fmp.eod_prices: unknown field adjClose (3 records); …`. */
export function describeDrift(report: DriftReport): string {
  const records = (n: number) => `${n.toLocaleString('en-US')} record${n === 1 ? '' : 's'}`;
  const parts = [
    ...report.unknown_fields.map((f) => `unknown field ${f.field} (${records(f.records)})`),
    ...report.missing_required_fields.map(
      (f) => `required field ${f.field} missing (${records(f.records)})`,
    ),
    ...report.type_changes.map(
      (change) =>
        `${change.field} is ${Object.entries(change.observed)
          .map(([type, n]) => `${type} in ${records(n)}`)
          .join(', ')}, not ${change.expected.join(' or ')} (${change.encoding})`,
    ),
  ];
  return `${report.dataset}: ${parts.length === 0 ? 'no drift' : parts.join('; ')}`;
}

const fieldCount = z.object({ field: z.string(), records: z.number().int().nonnegative() });

const driftReportSchema = z.object({
  dataset: z.string(),
  run_id: z.string(),
  dates: z.array(z.string()),
  bronze_parts: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  unreadable_records: z.number().int().nonnegative(),
  unknown_fields: z.array(fieldCount),
  missing_required_fields: z.array(fieldCount),
  type_changes: z.array(
    z.object({
      field: z.string(),
      encoding: z.string(),
      expected: z.array(z.string()),
      observed: z.record(z.string(), z.number().int().nonnegative()),
    }),
  ),
  drift: z.boolean(),
});

/** A stored report (`where` names it in the error when it is not one). */
export function parseDriftReport(text: string, where: string): DriftReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `drift report ${where} is not JSON (${(error as Error).message}); rerun the validation`,
    );
  }
  const parsed = driftReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `drift report ${where} is not a validate_schemas.py report: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}; ` +
        'check that the Glue job runs the validate_schemas.py of this checkout',
    );
  }
  return parsed.data;
}

import { bronzeRunPrefix, LakePathError } from '@finks/lake-paths';
import { z } from 'zod';
import { BatchManifestError } from '../errors/batch-manifest-error';

/** One gzip NDJSON object of a batch, as its manifest lists it. */
export interface ManifestPart {
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  /** Hex SHA-256 of the stored (compressed) bytes. */
  readonly sha256: string;
}

/**
 * `_manifest.json`, written after every part of a batch is stored: a reader trusts only the parts
 * a manifest lists, so a batch becomes visible at once, and parts left by a crashed attempt are
 * never read.
 */
export interface BatchManifest {
  readonly version: 1;
  readonly zone: 'bronze' | 'quarantine';
  readonly source: string;
  readonly dataset: string;
  readonly dt: string;
  readonly runId: string;
  /**
   * The orchestrating run (the master flow's run id, or the connector's own id when run alone):
   * what a gold row's correlation_id is traced back to its bronze batches by.
   */
  readonly correlationId?: string;
  /** ISO-8601 UTC; a batch written again (a retried run) is a new version of it. */
  readonly createdAt: string;
  readonly rowCount: number;
  readonly parts: readonly ManifestPart[];
  /** For bronze: the quarantined rows of the same run and where their manifest is. */
  readonly quarantine?: { readonly rowCount: number; readonly manifestKey: string | null };
  /** Cursor values this batch covers; applied to the bookmarks only after this manifest exists. */
  readonly bookmarks?: Readonly<Record<string, string>>;
  /**
   * Bookmark entries this batch sets as they are, not only forward: what the stored history is
   * (eod_prices' share basis, first day and splits; the splits in effect). Applied with them.
   */
  readonly setBookmarks?: Readonly<Record<string, string>>;
  /**
   * Requests of the plan that still failed on its last allowed attempt: their data is not in the
   * batch and their bookmarks did not move, so the next run plans them again.
   */
  readonly failedRequests?: { readonly count: number; readonly key: string };
}

const count = z.number().int().nonnegative();
const text = z.string().min(1);
const strings = z.record(z.string(), z.string());

// Loose: a writer may add fields (the cleansing's rejects carry `stage` and `rejectedBy`).
const batchManifestSchema = z.looseObject({
  version: z.literal(1),
  zone: z.enum(['bronze', 'quarantine']),
  source: text,
  dataset: text,
  dt: z.iso.date(),
  runId: text,
  correlationId: text.optional(),
  createdAt: z.iso.datetime({ offset: true }),
  rowCount: count,
  parts: z.array(
    z.object({
      key: text,
      rows: count,
      bytes: count,
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256'),
    }),
  ),
  quarantine: z.object({ rowCount: count, manifestKey: text.nullable() }).optional(),
  bookmarks: strings.optional(),
  setBookmarks: strings.optional(),
  failedRequests: z.object({ count, key: text }).optional(),
});

/** Where a manifest was found: its parts must belong to that run, not just to the one it names. */
export interface ManifestRunRef {
  readonly source: string;
  readonly dataset: string;
  readonly dt: string;
  readonly runId: string;
}

/**
 * The manifest in `text`, read from `location` (named in the error). Throws BatchManifestError
 * naming every field that is wrong when the text is not JSON, not a version 1 manifest, or lists
 * a part outside its own run. Pass `foundIn`, the run folder the manifest was read from, when the
 * caller knows it: a manifest copied into another run's folder is refused too.
 */
export function parseBatchManifest(
  text: string,
  location: string,
  foundIn?: ManifestRunRef,
): BatchManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BatchManifestError(location, [`not JSON: ${(error as Error).message}`]);
  }
  const parsed = batchManifestSchema.safeParse(value);
  if (!parsed.success) {
    throw new BatchManifestError(
      location,
      parsed.error.issues.map(
        (issue) =>
          `${issue.path.length === 0 ? '(the manifest)' : issue.path.join('.')}: ${issue.message}`,
      ),
    );
  }
  // zod types an optional field as `T | undefined`; parsed JSON never holds undefined.
  const manifest = parsed.data as BatchManifest;
  const problems = [...foundInProblems(manifest, foundIn), ...partKeyProblems(manifest)];
  if (problems.length > 0) throw new BatchManifestError(location, problems);
  return manifest;
}

const RUN_FIELDS = ['source', 'dataset', 'dt', 'runId'] as const;

function foundInProblems(manifest: BatchManifest, foundIn: ManifestRunRef | undefined): string[] {
  if (!foundIn) return [];
  return RUN_FIELDS.filter((field) => manifest[field] !== foundIn[field]).map(
    (field) =>
      `${field}: is ${JSON.stringify(manifest[field])} but the manifest sits in the folder of ` +
      `${field} ${JSON.stringify(foundIn[field])} (copied from another run?)`,
  );
}

/**
 * Readers join part keys to the lake root, so a key must stay inside the manifest's own run
 * folder: `../` would read any file on the machine, and another run's key would load that run's
 * rows under this run's id. Subfolders are fine (the cleansing's rejects live in `stage=…/`).
 */
function partKeyProblems(manifest: BatchManifest): string[] {
  let prefix: string;
  try {
    // Bronze and quarantine share the batch layout (lake-paths' batchKeys).
    prefix = bronzeRunPrefix(manifest);
  } catch (error) {
    if (error instanceof LakePathError) return [`source, dataset, dt, runId: ${error.message}`];
    throw error;
  }
  return manifest.parts.flatMap((part, index) => {
    const where = `parts.${index}.key`;
    if (!part.key.startsWith(prefix)) {
      return [
        `${where}: ${JSON.stringify(part.key)} must start with this run's folder "${prefix}"`,
      ];
    }
    const bad = part.key.split('/').find((segment) => ['', '.', '..'].includes(segment));
    return bad === undefined
      ? []
      : [`${where}: ${JSON.stringify(part.key)} has an empty, "." or ".." segment`];
  });
}

// What the cleansing reads from bronze, as apps/ingestion writes it
// (apps/ingestion/src/lake/manifest.ts: BronzeEnvelope, BatchManifest). Apps never import each
// other, so the shape is restated here; glue_scripts/finks_silver.py reads the same fields.

/** One NDJSON line of a bronze part. */
export interface BronzeEnvelope {
  readonly source: string;
  readonly dataset: string;
  readonly endpoint: string;
  readonly request: Readonly<Record<string, string>>;
  /** ISO-8601 with a zone; becomes silver `ingested_at` and orders duplicate fetches. */
  readonly fetched_at: string;
  /** Becomes silver `ingestion_run_id`; breaks ties between fetches at the same instant. */
  readonly run_id: string;
  /** `<request>#<index>`; the last tiebreak between duplicates of one run. */
  readonly source_offset: string;
  /** The raw source record the contract applies to. */
  readonly payload: unknown;
}

/** `_manifest.json` of a run: only the parts it lists are read. */
export interface BronzeManifest {
  readonly version: 1;
  readonly runId: string;
  readonly createdAt: string;
  readonly parts: readonly { readonly key: string; readonly rows: number }[];
}

/** One rejected record in quarantine: the envelope as it arrived (or the raw line) plus why. */
export interface CleansingReject {
  readonly reasons: readonly {
    readonly path: string;
    readonly code: string;
    readonly message: string;
  }[];
  readonly rejected_by: { readonly stage: 'bronze_to_silver'; readonly run_id: string };
}

// The line format of the bronze and quarantine zones: apps/ingestion writes it, the cleansing
// (DuckDB in apps/pipelines, PySpark in its glue_scripts) reads it.

/** One NDJSON line of a bronze part: the raw record as the source sent it, and where it came from. */
export interface BronzeEnvelope {
  readonly source: string;
  readonly dataset: string;
  readonly endpoint: string;
  /** Request parameters without credentials. */
  readonly request: Readonly<Record<string, string>>;
  /** ISO-8601 with a zone; becomes silver `ingested_at` and orders duplicate fetches. */
  readonly fetched_at: string;
  /** Becomes silver `ingestion_run_id`; breaks ties between fetches at the same instant. */
  readonly run_id: string;
  /** Position in the source, `<request description>#<index in the response>`: the last tiebreak. */
  readonly source_offset: string;
  /** The raw source record the contract applies to. */
  readonly payload: unknown;
}

/** Why a record was rejected: a field (`path`), a stable `code`, and words for people. */
export interface QuarantineReason {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** A record the connector rejected: the envelope it would have had in bronze, and why. */
export interface QuarantineEnvelope extends BronzeEnvelope {
  readonly reasons: readonly QuarantineReason[];
}

/** One gzip NDJSON object of a batch, as its manifest lists it. */
export interface ManifestPart {
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  /** Hex SHA-256 of the stored (compressed) bytes. */
  readonly sha256: string;
}

/**
 * Written after every part of a batch is stored: a reader trusts only the parts a manifest lists,
 * so a batch becomes visible at once, and parts left by a crashed attempt are never read.
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

/** One line of a bronze object: the raw payload and where it came from. */
export interface BronzeEnvelope {
  readonly source: string;
  readonly dataset: string;
  readonly endpoint: string;
  /** Request parameters without credentials. */
  readonly request: Readonly<Record<string, string>>;
  readonly fetched_at: string;
  readonly run_id: string;
  /** Position in the source: `<request description>#<index in the response>`. */
  readonly source_offset: string;
  readonly payload: unknown;
}

export interface QuarantineEnvelope extends BronzeEnvelope {
  readonly reasons: readonly {
    readonly path: string;
    readonly code: string;
    readonly message: string;
  }[];
}

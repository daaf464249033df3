/**
 * What a slim CI run builds, given the manifest it compares with (if any) and the adapter it
 * runs on.
 *
 * - Same adapter as the manifest: `state:modified+ --defer` — unchanged parents resolve to the
 *   relations the manifest's run built (the dbt-on-Athena pattern).
 * - Another adapter (dbt-duckdb in a PR job comparing with staging's Athena manifest): there is
 *   nothing to defer to, so `@state:modified` — the changed models, their children, and every
 *   parent those children need — is built in the PR schema from silver.
 * - No manifest yet (first PR, expired artifact): everything.
 */
export interface SlimCiSelection {
  readonly select: readonly string[];
  readonly defer: boolean;
  /** One line for the log saying which case applied and why. */
  readonly reason: string;
}

export function slimCiSelection(
  manifestAdapter: string | undefined,
  targetAdapter: string,
): SlimCiSelection {
  if (manifestAdapter === undefined) {
    return { select: [], defer: false, reason: 'no manifest to compare with: building every node' };
  }
  if (manifestAdapter === targetAdapter) {
    return {
      select: ['state:modified+'],
      defer: true,
      reason: `state:modified+ with --defer to the ${manifestAdapter} manifest's relations`,
    };
  }
  return {
    select: ['@state:modified'],
    defer: false,
    reason:
      `the manifest is from ${manifestAdapter}, this run is ${targetAdapter}: nothing to defer ` +
      'to, so building @state:modified (changed nodes, children and their parents)',
  };
}

/** The adapter of a profiles.yml target: `local` is dbt-duckdb, every other target Athena. */
export function adapterOfTarget(target: string): string {
  return target === 'local' ? 'duckdb' : 'athena';
}

/** `metadata.adapter_type` of a manifest.json, or undefined when it has none. */
export function manifestAdapter(manifestJson: string): string | undefined {
  const parsed = JSON.parse(manifestJson) as { metadata?: { adapter_type?: unknown } };
  const adapter = parsed.metadata?.adapter_type;
  return typeof adapter === 'string' ? adapter : undefined;
}

/** A silver partition swap failed; says which old partitions could not be moved back, and where. */
export class PartitionSwapError extends Error {
  readonly code = 'partition_swap_failed';

  constructor(
    readonly datasetFolder: string,
    readonly oldFolder: string,
    /** Dates whose old partition is still in `oldFolder`, not in the table. */
    readonly stuck: readonly string[],
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      stuck.length === 0
        ? `swapping new partitions into ${datasetFolder} failed (${reason}); ` +
            'every old partition is back in place and the batches stay pending: run again'
        : `swapping new partitions into ${datasetFolder} failed (${reason}), and the old ` +
            `partitions ${stuck.map((dt) => `dt=${dt}`).join(', ')} could not be moved back: ` +
            `they are in ${oldFolder}. The next cleansing of the dataset puts them back; or ` +
            `move them into ${datasetFolder} yourself.`,
      { cause },
    );
    this.name = 'PartitionSwapError';
  }
}

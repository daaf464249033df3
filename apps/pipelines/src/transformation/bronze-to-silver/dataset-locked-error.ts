/** Who holds a dataset's cleansing lock: what its lock file holds. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly runId: string;
  readonly started: string;
}

/** Another cleansing of the dataset held its lock for longer than this one would wait. */
export class DatasetLockedError extends Error {
  readonly code = 'dataset_locked';

  constructor(
    readonly dataset: string,
    readonly lockPath: string,
    readonly holder: LockHolder | null,
    /** A takeover claim left by a waiter stopped mid-way, when the holder is gone. */
    readonly staleClaim: string | null = null,
  ) {
    const who =
      holder === null
        ? 'a cleansing whose lock file is unreadable'
        : `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, since ${holder.started})`;
    super(
      staleClaim === null
        ? `${dataset} is being cleansed by ${who}: waited for its lock ${lockPath} and gave up. ` +
            'Run again once it has finished; if that process is gone, delete the lock file.'
        : `${dataset}: the lock ${lockPath} of ${who}, whose process is gone, could not be taken ` +
            `over: another waiter claimed the takeover (${staleClaim}) and was stopped before ` +
            'finishing it. Delete both files, then run again.',
    );
    this.name = 'DatasetLockedError';
  }
}

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
  ) {
    const who =
      holder === null
        ? 'a cleansing whose lock file is unreadable'
        : `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, since ${holder.started})`;
    super(
      `${dataset} is being cleansed by ${who}: waited for its lock ${lockPath} and gave up. ` +
        'Run again once it has finished; if that process is gone, delete the lock file.',
    );
    this.name = 'DatasetLockedError';
  }
}

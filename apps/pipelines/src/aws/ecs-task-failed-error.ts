import { AwsStepError } from './aws-step-error';

export interface EcsTaskFailure {
  readonly taskArn: string;
  readonly container: string;
  /** Undefined when the container never ran (image pull failure, no capacity, …). */
  readonly exitCode: number | undefined;
  readonly stopReason: string;
  readonly stopCode: string | undefined;
  /** The last lines of the container's CloudWatch log stream, oldest first. */
  readonly logTail: readonly string[];
  /** Where the tail came from: `<log group>/<stream>`. */
  readonly logStream: string;
}

const LINES_IN_MESSAGE = 20;

/** An ECS task stopped without its essential container exiting 0. */
export class EcsTaskFailedError extends AwsStepError implements EcsTaskFailure {
  override name = 'EcsTaskFailedError';
  readonly taskArn: string;
  readonly container: string;
  readonly exitCode: number | undefined;
  readonly stopReason: string;
  readonly stopCode: string | undefined;
  readonly logTail: readonly string[];
  readonly logStream: string;

  constructor(failure: EcsTaskFailure) {
    const exit =
      failure.exitCode === undefined
        ? `container ${failure.container} has no exit code (it never ran)`
        : `container ${failure.container} exited with code ${failure.exitCode}`;
    const tail =
      failure.logTail.length > 0
        ? `; last log lines of ${failure.logStream}:\n  ${failure.logTail.slice(-LINES_IN_MESSAGE).join('\n  ')}`
        : `; no log lines in ${failure.logStream}`;
    super(
      'ecs_task_failed',
      `ECS task ${failure.taskArn} failed: ${exit}, stop reason "${failure.stopReason || 'none'}"${tail}`,
    );
    this.taskArn = failure.taskArn;
    this.container = failure.container;
    this.exitCode = failure.exitCode;
    this.stopReason = failure.stopReason;
    this.stopCode = failure.stopCode;
    this.logTail = failure.logTail;
    this.logStream = failure.logStream;
  }
}

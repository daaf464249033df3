import { DevServicesError } from './dev-services-error';

/**
 * services.sh failed. `stderr` holds its own explanation (a taken port, the last lines of the
 * service's log, a failed install), which is also the message.
 */
export class ServicesCommandError extends DevServicesError {
  override readonly name = 'ServicesCommandError';
  readonly code: 'start_failed' | 'stop_failed';

  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    cause?: unknown,
  ) {
    super(
      `\`services.sh ${args.join(' ')}\` failed (exit ${exitCode ?? 'signal'}):\n${stderr.trim()}`,
      cause,
    );
    this.code = args[0] === 'stop' ? 'stop_failed' : 'start_failed';
  }
}

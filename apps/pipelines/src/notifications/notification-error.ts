/** One channel that could not be notified; the reason never contains the webhook URL. */
export interface ChannelFailure {
  readonly channel: 'sns' | 'slack';
  readonly reason: string;
}

/** Some notification channels failed (the others were still tried and may have succeeded). */
export class NotificationError extends Error {
  override name = 'NotificationError';
  readonly code = 'notification_failed';

  constructor(readonly failures: readonly ChannelFailure[]) {
    super(
      `Could not send the failure notification to ${failures
        .map((failure) => `${failure.channel} (${failure.reason})`)
        .join(', ')}`,
    );
  }
}

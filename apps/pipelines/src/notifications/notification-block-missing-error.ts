/** A notification channel names a Prefect block document that does not exist. */
export class NotificationBlockMissingError extends Error {
  override name = 'NotificationBlockMissingError';
  readonly code = 'notification_block_missing';

  constructor(
    readonly blockTypeSlug: string,
    readonly blockName: string,
  ) {
    super(
      `No ${blockTypeSlug} block named "${blockName}" in Prefect; create it with applyNotificationBlocks (the pipelines deploy does) or fix the name`,
    );
  }
}

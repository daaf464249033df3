// Failure notifications: SNS and a Slack-compatible webhook, configured as Prefect blocks.
export { failureMessage, type FailureMessage, type FailureNotice } from './failure-message';
export { prefectFlowRunUrl, prefectUiUrl } from './prefect-ui-url';
export {
  notifyFailure,
  type NotificationChannels,
  type NotifyOptions,
  type NotifyResult,
} from './notify-failure';
export { NotificationError, type ChannelFailure } from './notification-error';
export { NotificationBlockMissingError } from './notification-block-missing-error';
export {
  applyNotificationBlocks,
  loadNotificationChannels,
  slackWebhookBlockType,
  slackWebhookFields,
  snsTopicBlockType,
  snsTopicFields,
  type NotificationBlocksSpec,
} from './notification-blocks';

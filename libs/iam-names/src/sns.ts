import { fitName, type NameRule } from './name-rule';
import { flatName, type ResourceNameInput } from './resource-name-input';

// Standard (not FIFO) topics: https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
const SNS_TOPIC: NameRule = {
  resource: 'SNS topic',
  maxLength: 256,
  pattern: /^[A-Za-z0-9_-]+$/,
  described: 'letters, digits, _ and -',
};

/** `finks-<env>-<app>-<component>`, at most 256 characters. */
export function snsTopicName(input: ResourceNameInput): string {
  return fitName(SNS_TOPIC, flatName(input));
}

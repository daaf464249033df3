import { fitName, type NameRule } from './name-rule';
import { checkResourceInput, type ResourceNameInput } from './resource-name-input';

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
const LOG_GROUP: NameRule = {
  resource: 'CloudWatch log group',
  maxLength: 512,
  pattern: /^[.\-_/#A-Za-z0-9]+$/,
  described: 'letters, digits and . - _ / #',
};

/** `/finks/<env>/<app>/<component>`: a path, so one IAM statement can cover an app's groups. */
export function logGroupName(input: ResourceNameInput): string {
  const { app, env, component } = checkResourceInput(input);
  return fitName(LOG_GROUP, `/finks/${env}/${app}/${component}`);
}

import { fitName, type NameRule } from './name-rule';
import { flatName, type ResourceNameInput } from './resource-name-input';

// https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html
const ATHENA_WORKGROUP: NameRule = {
  resource: 'Athena workgroup',
  maxLength: 128,
  pattern: /^[a-zA-Z0-9._-]+$/,
  described: 'letters, digits, . _ and -',
};

/** `finks-<env>-<app>-<component>`, at most 128 characters. */
export function athenaWorkgroupName(input: ResourceNameInput): string {
  return fitName(ATHENA_WORKGROUP, flatName(input));
}

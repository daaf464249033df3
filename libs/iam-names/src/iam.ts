import { fitName, type NameRule } from './name-rule';
import { flatName, type ResourceNameInput } from './resource-name-input';

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
const IAM_ROLE: NameRule = {
  resource: 'IAM role',
  maxLength: 64,
  pattern: /^[\w+=,.@-]+$/,
  described: 'letters, digits and _ + = , . @ -',
};

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
const IAM_POLICY: NameRule = { ...IAM_ROLE, resource: 'IAM policy', maxLength: 128 };

/** `finks-<env>-<app>-<component>`, at most 64 characters. */
export function iamRoleName(input: ResourceNameInput): string {
  return fitName(IAM_ROLE, flatName(input));
}

/** `finks-<env>-<app>-<component>`, at most 128 characters (policies and roles are separate namespaces). */
export function iamPolicyName(input: ResourceNameInput): string {
  return fitName(IAM_POLICY, flatName(input));
}

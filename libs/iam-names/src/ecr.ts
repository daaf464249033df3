import { fitName, type NameRule } from './name-rule';
import { checkResourceInput, type ResourceNameInput } from './resource-name-input';

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
const ECR_REPOSITORY: NameRule = {
  resource: 'ECR repository',
  maxLength: 256,
  pattern: /^(?=.{2,}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
  described:
    'at least 2 characters; /-separated parts of lowercase letters and digits joined by single . _ or -',
};

/** `finks/<env>/<app>/<component>`: one namespace per environment and app. */
export function ecrRepositoryName(input: ResourceNameInput): string {
  const { app, env, component } = checkResourceInput(input);
  return fitName(ECR_REPOSITORY, `finks/${env}/${app}/${component}`);
}

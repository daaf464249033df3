import type { Env } from '@finks/lake-paths';
import { IamNameError } from './iam-name-error';
import { assertEnv, assertKebab } from './inputs';
import { fitName, type NameRule } from './name-rule';

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
const SECRET: NameRule = {
  resource: 'Secrets Manager secret',
  maxLength: 512,
  pattern: /^[A-Za-z0-9/_+=.@-]+$/,
  described: 'letters, digits and / _ + = . @ -',
};

// Secrets Manager appends "-" and six random characters to a secret's ARN; a name that already
// ends that way makes partial-ARN lookups ambiguous, so AWS advises against it (same page).
const LOOKS_LIKE_ARN_SUFFIX = /-.{6}$/;

export interface SecretNameInput {
  readonly env: Env;
  /** Kebab-case words naming the secret, e.g. `fmp-api-key`; secrets are shared by the apps. */
  readonly name: string;
}

/** `finks/<env>/<name>`, at most 512 characters. */
export function secretName(input: SecretNameInput): string {
  const env = assertEnv(input.env);
  const name = fitName(SECRET, `finks/${env}/${assertKebab(input.name, 'name')}`);
  if (LOOKS_LIKE_ARN_SUFFIX.test(name)) {
    throw new IamNameError({
      code: 'invalid_component',
      part: 'name',
      value: input.name,
      problem: `ends in a hyphen and six characters, which Secrets Manager confuses with the random suffix of its ARNs (choose a last word of another length)`,
    });
  }
  return name;
}

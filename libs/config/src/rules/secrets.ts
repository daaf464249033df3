/**
 * Secrets never live in config files: a file names the Secrets Manager secret and the task reads
 * the value at run time with its own IAM role. These checks catch a secret pasted in by mistake,
 * wherever it lands (even under a misspelt key), and never echo the suspected value back.
 */

/**
 * Our secret names: lowercase `/`-separated segments, at least two (`finks/dev/fmp-api-key`).
 * Stricter than Secrets Manager itself, on purpose: requiring a `/` and lowercase rules out API
 * keys and base64 blobs, so "is it a name or a value?" has a clear answer.
 */
export const SECRET_NAME_PATTERN = /^[a-z][a-z0-9-]*(?:\/[a-z0-9][a-z0-9._-]*)+$/;
const SECRET_NAME_MAX_LENGTH = 512; // Secrets Manager's limit

export const SECRET_NAME_EXAMPLE = 'finks/<env>/fmp-api-key';

export function isSecretName(value: string): boolean {
  return value.length <= SECRET_NAME_MAX_LENGTH && SECRET_NAME_PATTERN.test(value);
}

/** A field whose name says it holds a credential (`apiKey`, `token`, `dbPassword`, …). */
const CREDENTIAL_FIELD = /(?:key|token|password|passwd|pwd|secret|credentials?)$/i;
/** Query parameters that carry a credential (`?apikey=` is how FMP takes its key). */
const CREDENTIAL_QUERY_PARAM =
  /^(?:api[-_]?key|key|token|access[-_]?token|secret|password|sig|signature|x-amz-signature|x-amz-credential)$/i;

const KNOWN_SECRET_SHAPES: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]+/, what: 'a Slack token' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/, what: 'a GitHub token' },
  // An FMP key is 32 random alphanumerics; nothing legitimate in our config looks like that.
  { pattern: /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_+=-]{24,}$/, what: 'a long random-looking token' },
];

/** Why `value` looks like a credential rather than configuration, or `undefined`. */
export function secretLikeReason(value: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url) {
      if (url.username !== '' || url.password !== '') return 'a URL with embedded credentials';
      if (url.hostname === 'hooks.slack.com') {
        return 'a Slack webhook URL, which grants anyone holding it the right to post';
      }
      for (const name of url.searchParams.keys()) {
        if (CREDENTIAL_QUERY_PARAM.test(name)) return `a URL carrying a credential in "${name}="`;
      }
    }
  }
  return KNOWN_SECRET_SHAPES.find(({ pattern }) => pattern.test(value))?.what;
}

export interface SecretFinding {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export function secretFindingMessage(reason: string): string {
  return `looks like a secret (${reason}). Secrets never live in config: store it in AWS Secrets Manager and reference the secret's name here (e.g. "${SECRET_NAME_EXAMPLE}")`;
}

/** Every string in the document that looks like a secret, with its path. */
export function findSecretLikeValues(document: unknown): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      const key = path.at(-1);
      const reason =
        secretLikeReason(value) ??
        (typeof key === 'string' && CREDENTIAL_FIELD.test(key) && !isSecretName(value)
          ? `field "${key}" names a credential but holds something other than a secret name`
          : undefined);
      if (reason !== undefined) findings.push({ path, message: secretFindingMessage(reason) });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(document, []);
  return findings;
}

// Opening the portfolio database, with an error that says which setting is wrong. The driver's
// own message is kept (it tells a bad scheme from a refused port), with the URI's secrets cut
// out: main.ts redacts the variables' values, not a URI read from Secrets Manager, and a parse
// error may quote a part of the URI.
import { MongoClient, MongoServerError, type MongoClientOptions } from 'mongodb';
import { IngestionError } from '../errors';

/** MongoDB's AuthenticationFailed. */
const AUTHENTICATION_FAILED = 18;

/**
 * Connects with `uri`; `origin` names where it came from (`MONGODB_URI`, or `the secret "…"`)
 * and is all an error says of it. Throws IngestionError `config`.
 */
export async function connectMongo(
  uri: string,
  origin: string,
  options: MongoClientOptions = { serverSelectionTimeoutMS: 10_000 },
): Promise<MongoClient> {
  let client: MongoClient;
  try {
    // The constructor parses the URI: a malformed one fails here, before any network.
    client = new MongoClient(uri, options);
  } catch (error) {
    throw new IngestionError(
      'config',
      `${origin} is not a MongoDB connection string the driver accepts (${driverMessage(error, uri)}); it must look like mongodb://<user>:<password>@<host>:<port>/<database> or mongodb+srv://…`,
    );
  }
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw connectError(error, uri, origin);
  }
}

/** What a failed `connect()` means; exported for the classification's unit test. */
export function connectError(error: unknown, uri: string, origin: string): IngestionError {
  if (isAuthenticationFailure(error)) {
    return new IngestionError(
      'config',
      `MongoDB rejected the credentials in ${origin} (${driverMessage(error, uri)}); check the user, the password and authSource/authMechanism in it`,
    );
  }
  return new IngestionError(
    'config',
    `cannot reach MongoDB with ${origin} (${driverMessage(error, uri)}); check its host and port, and that this network can reach them`,
  );
}

function isAuthenticationFailure(error: unknown): boolean {
  // The driver may wrap the server's answer; a few levels of `cause` are enough.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof MongoServerError && current.code === AUTHENTICATION_FAILED) return true;
    current = current.cause;
  }
  return false;
}

function driverMessage(error: unknown, uri: string): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return withoutUriSecrets(`${name}: ${message.replace(/\s+/g, ' ').trim()}`, uri);
}

/**
 * `text` with the URI, its user info (user and password, raw and decoded) and the values of its
 * secret-bearing options (`proxyPassword`, `tlsCertificateKeyFilePassword`,
 * `authMechanismProperties`, …) replaced by `[redacted]`.
 */
export function withoutUriSecrets(text: string, uri: string): string {
  const secrets = new Set<string>([uri]);
  const add = (value: string | undefined) => {
    if (value === undefined) return;
    secrets.add(value);
    try {
      secrets.add(decodeURIComponent(value));
    } catch {
      // Not percent-encoded validly: the raw form is the one that can appear.
    }
  };
  const userInfo = /^[^:/]+:\/\/([^/?#]*)@/.exec(uri)?.[1];
  if (userInfo !== undefined) {
    add(userInfo);
    for (const part of userInfo.split(':')) add(part);
  }
  const query = uri.split('?').slice(1).join('?');
  for (const pair of query.split('&')) {
    const [key = '', value] = pair.split('=');
    if (/pass|secret|token|key|authMechanismProperties/i.test(key)) add(value);
  }
  let redacted = text;
  // Longest first, so a password inside the URI does not leave the rest of the URI behind.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted;
}

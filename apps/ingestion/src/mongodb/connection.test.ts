import { mongoUri } from '@finks/dev-services';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { connectError, connectMongo, withoutUriSecrets } from './connection';

const CANARY = 'canary-pw-5150';
const SECRET = 'the secret "finks/local/mongodb-uri"';

describe('connecting to MongoDB', () => {
  it('names the variable for a URI the driver cannot parse, without its password', async () => {
    const error = await connectMongo(`postgres://someone:${CANARY}@db.example/x`, 'MONGODB_URI')
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'config',
      message: expect.stringMatching(
        /^MONGODB_URI is not a MongoDB connection string .*MongoParseError: Invalid scheme/,
      ),
    });
    expect((error as Error).message).not.toContain(CANARY);
  });

  it('says the credentials were rejected, naming the secret (FerretDB refuses them)', async () => {
    const uri = mongoUri().replace('mongodb://', `mongodb://someone:${CANARY}@`);
    const error = await connectMongo(uri, SECRET)
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'config',
      message: expect.stringContaining(`MongoDB rejected the credentials in ${SECRET}`),
    });
    expect((error as Error).message).not.toContain(CANARY);
  });

  it('says the server cannot be reached, with the driver reason', async () => {
    const error = await connectMongo(`mongodb://someone:${CANARY}@127.0.0.1:9/x`, 'MONGODB_URI', {
      serverSelectionTimeoutMS: 300,
    })
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'config',
      message: expect.stringContaining(
        'cannot reach MongoDB with MONGODB_URI (MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:9)',
      ),
    });
    expect((error as Error).message).not.toContain(CANARY);
  });

  it('classifies an authentication failure the driver wrapped, and nothing else, as credentials', () => {
    const auth = new MongoServerError({ code: 18, codeName: 'AuthenticationFailed', errmsg: 'x' });
    const wrapped = new Error('handshake failed', { cause: auth });
    expect(connectError(wrapped, 'mongodb://h/', SECRET).message).toMatch(
      /^MongoDB rejected the credentials in the secret/,
    );
    const other = new MongoServerError({ code: 13, codeName: 'Unauthorized', errmsg: 'x' });
    expect(connectError(other, 'mongodb://h/', SECRET).message).toMatch(/^cannot reach MongoDB/);
    expect(connectError(new MongoNetworkError('reset'), 'mongodb://h/', SECRET).code).toBe(
      'config',
    );
  });

  it('cuts the URI, its user info and secret options out of a driver message', () => {
    const uri = `mongodb://ops:p%40ss-${CANARY}@h1,h2/db?proxyPassword=proxy-${CANARY}&retryWrites=true`;
    const message = `failed for ${uri}; user ops:p@ss-${CANARY}; proxy proxy-${CANARY}; retryWrites=true`;
    const cleaned = withoutUriSecrets(message, uri);
    expect(cleaned).not.toContain(CANARY);
    expect(cleaned).not.toContain('mongodb://');
    expect(cleaned).toContain('retryWrites=true');
  });
});

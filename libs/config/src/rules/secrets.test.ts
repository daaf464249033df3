import { describe, expect, it } from 'vitest';
import { findSecretLikeValues, isSecretName, secretLikeReason } from './secrets';

describe('secret detection', () => {
  it.each(['finks/dev/fmp-api-key', 'finks/prod/mongodb-uri', 'team/x.y_z'])(
    'accepts the secret name %j',
    (name) => expect(isSecretName(name)).toBe(true),
  );

  it.each(['fmp-api-key', 'Finks/Dev/Key', 'abc123XYZ/=+', '/finks/dev', 'finks//dev'])(
    'refuses %j as a secret name',
    (name) => expect(isSecretName(name)).toBe(false),
  );

  it.each([
    ['https://user:pass@example.com/x', 'embedded credentials'],
    ['mongodb+srv://app:s3cret@cluster0.mongodb.net/finks', 'embedded credentials'],
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'Slack webhook'],
    ['https://financialmodelingprep.com/stable/quote?symbol=AAPL&apikey=x', '"apikey="'],
    ['AKIAIOSFODNN7EXAMPLE', 'AWS access key'],
    ['xoxb-123-456-abc', 'Slack token'],
    ['8f14e45fceea167a5a36dedd4bea2543', 'random-looking token'],
  ])('flags %j', (value, reason) => {
    expect(secretLikeReason(value)).toContain(reason);
  });

  it.each([
    'https://financialmodelingprep.com/stable',
    'data-platform@finks.ai',
    '*/15 9-16 * * 1-5',
    'America/New_York',
    'ca-central-1',
    'finks/dev/fmp-api-key',
  ])('leaves ordinary configuration alone: %j', (value) => {
    expect(secretLikeReason(value)).toBeUndefined();
  });

  it('walks the whole document, including lists and unknown keys', () => {
    const findings = findSecretLikeValues({
      fmp: { apiKey: 'short', plan: 'starter' },
      alerts: { emails: ['a@b.c', 'https://u:p@h/'] },
      secretNames: { fmpApiKey: 'finks/dev/fmp-api-key' },
    });
    expect(findings.map((finding) => finding.path)).toEqual([
      ['fmp', 'apiKey'],
      ['alerts', 'emails', 1],
    ]);
  });
});

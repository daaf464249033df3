import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from './errors/config-error';
import { ConfigSyntaxError } from './errors/config-syntax-error';
import { ConfigValidationError } from './errors/config-validation-error';
import { formatPath } from './issues';
import { parseConfig } from './parse-config';
import { validConfigInput } from './testing';

const FILE = 'config/dev.yaml';

type Mutable = Record<string, unknown>;

/** The valid dev config with `edit` applied, as YAML text. */
function yamlWith(edit: (config: Mutable) => void): string {
  const config = validConfigInput() as Mutable;
  edit(config);
  return stringify(config);
}

function section(config: Mutable, ...keys: string[]): Mutable {
  return keys.reduce((node, key) => node[key] as Mutable, config);
}

/** Parses text that must fail and returns the error, checked to be a `ConfigError`. */
function failure(text: string, file = FILE): ConfigError {
  try {
    parseConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected parseConfig to throw');
}

function issueAt(error: ConfigError, path: string) {
  return error.issues.find((issue) => formatPath(issue.path) === path);
}

describe('parseConfig', () => {
  it('accepts the valid fixture and applies defaults', () => {
    const text = yamlWith((config) => {
      delete config['region'];
      delete section(config, 'fmp')['baseUrl'];
    });
    const config = parseConfig(text, FILE);
    expect(config.region).toBe('ca-central-1');
    expect(config.fmp.baseUrl).toBe('https://financialmodelingprep.com/stable');
    expect(config.ecs.dbtRunner).toEqual({ cpu: 1024, memory: 2048 });
  });

  it('defaults the local lake root to .finks/lake', () => {
    const text = yamlWith((config) => {
      config['env'] = 'local';
      config['lake'] = { kind: 'filesystem' };
      config['secretNames'] = {
        fmpApiKey: 'finks/local/fmp-api-key',
        mongodbUri: 'finks/local/mongodb-uri',
      };
      section(config, 'alerts')['slackWebhookSecretName'] = null;
    });
    expect(parseConfig(text, 'local.yaml').lake).toEqual({
      kind: 'filesystem',
      root: '.finks/lake',
    });
  });

  it('reports bad YAML syntax with the file, line and offending text', () => {
    const error = failure('env: dev\necs:\n  worker:\n    cpu: 256\n   memory: 512\n');
    expect(error).toBeInstanceOf(ConfigSyntaxError);
    expect(error.code).toBe('invalid_yaml');
    expect(error.message).toBe(
      'Config config/dev.yaml is not valid YAML:\n' +
        '  - line 5, column 1: All mapping items must start at the same column in "memory: 512"',
    );
    expect(error.issues).toEqual([expect.objectContaining({ line: 5, column: 1 })]);
  });

  it('explains an unquoted cron expression, which YAML reads as an alias', () => {
    const error = failure('schedules:\n  eod:\n    cron: */5 * * * *\n');
    expect(error.code).toBe('invalid_yaml');
    expect(error.message).toContain('line 3');
    expect(error.message).toContain('must be quoted');
    expect(error.message).toContain('cron: */5 * * * *');
  });

  it('rejects duplicate keys instead of letting the last one win', () => {
    const error = failure('env: dev\nenv: prod\n');
    expect(error.code).toBe('invalid_yaml');
    expect(error.message).toMatch(/unique/i);
  });

  it('rejects an unknown key, names its path and suggests the intended one', () => {
    const error = failure(
      yamlWith((config) => {
        const ecs = section(config, 'ecs');
        ecs['dbtRuner'] = ecs['dbtRunner'];
        delete ecs['dbtRunner'];
      }),
    );
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.message).toContain(FILE);
    expect(error.message).toMatch(
      /ecs\.dbtRuner \(line \d+\): unknown key "dbtRuner" \(did you mean "dbtRunner"\?\)/,
    );
    // The intended key is then missing, and that is reported too.
    expect(issueAt(error, 'ecs.dbtRunner')?.message).toMatch(/required/);
  });

  it('rejects an unknown top-level key', () => {
    const error = failure(yamlWith((config) => void (config['regoin'] = 'ca-central-1')));
    expect(issueAt(error, 'regoin')?.message).toContain('did you mean "region"');
  });

  it('rejects a bad cron expression, naming the schedule and the field of the cron', () => {
    const error = failure(
      yamlWith((config) => {
        section(config, 'schedules')['fmp-eod-prices'] = { cron: '0 24 * * 1-5', timezone: 'UTC' };
      }),
    );
    expect(error.message).toContain(FILE);
    expect(error.message).toMatch(
      /schedules\.fmp-eod-prices\.cron \(line \d+\): hour field "24": 24 is out of range 0-23/,
    );
  });

  it('rejects an unknown time zone and a wrongly cased one', () => {
    const error = failure(
      yamlWith((config) => {
        section(config, 'schedules')['a'] = { cron: '0 0 * * *', timezone: 'Mars/Olympus_Mons' };
        section(config, 'schedules')['b'] = { cron: '0 0 * * *', timezone: 'america/toronto' };
        section(config, 'schedules')['c'] = { cron: '0 0 * * *', timezone: '+05:00' };
      }),
    );
    expect(issueAt(error, 'schedules.a.timezone')?.message).toContain('not an IANA time zone');
    expect(issueAt(error, 'schedules.b.timezone')?.message).toContain('use "America/Toronto"');
    expect(issueAt(error, 'schedules.c.timezone')?.message).toContain('is an offset');
    expect(error.message).toContain(FILE);
  });

  it('rejects a schedule name that is not kebab-case and still checks its cron', () => {
    const error = failure(
      yamlWith((config) => {
        section(config, 'schedules')['Eod_Prices'] = { cron: '0 0 32 * *', timezone: 'UTC' };
      }),
    );
    expect(issueAt(error, 'schedules.Eod_Prices')?.message).toContain('kebab-case');
    expect(issueAt(error, 'schedules.Eod_Prices.cron')?.message).toContain('day-of-month');
  });

  it('rejects a Fargate memory that does not pair with the cpu, listing the allowed values', () => {
    const error = failure(
      yamlWith(
        (config) => void (section(config, 'ecs')['dbtRunner'] = { cpu: 1024, memory: 1024 }),
      ),
    );
    expect(error.message).toContain(FILE);
    expect(issueAt(error, 'ecs.dbtRunner.memory')?.message).toBe(
      'memory 1024 MiB is not a valid Fargate pairing for cpu 1024; allowed memory for cpu 1024: 2048, 3072, 4096, 5120, 6144, 7168, 8192',
    );
  });

  it('rejects a cpu Fargate does not offer', () => {
    const error = failure(
      yamlWith((config) => void (section(config, 'ecs')['worker'] = { cpu: 300, memory: 512 })),
    );
    expect(issueAt(error, 'ecs.worker.cpu')?.message).toContain('256, 512, 1024');
  });

  it.each([
    ['an API key under a key-named field', ['fmp', 'apiKey'], '8f14e45fceea167a5a36dedd4bea2543'],
    [
      'a password under a misnamed field',
      ['secretNames', 'mongodbUri'],
      'mongodb://finks:hunter2@db.internal:27017/portfolio',
    ],
    [
      'a Slack webhook URL',
      ['alerts', 'slackWebhookSecretName'],
      'https://hooks.slack.com/services/T0/B0/abc',
    ],
    [
      'a key in a URL query',
      ['fmp', 'baseUrl'],
      'https://financialmodelingprep.com/stable?apikey=abc',
    ],
    ['a plain word where a secret name belongs', ['secretNames', 'fmpApiKey'], 'hunter2'],
  ])('rejects %s, pointing at Secrets Manager', (_what, path, value) => {
    const error = failure(
      yamlWith((config) => {
        const parent = section(config, ...path.slice(0, -1));
        parent[path.at(-1) ?? ''] = value;
      }),
    );
    const issue = issueAt(error, path.join('.'));
    expect(issue?.message).toContain('looks like a secret');
    expect(issue?.message).toContain('store it in AWS Secrets Manager and reference the secret');
    expect(error.message).toContain(FILE);
    // The suspected secret itself is never echoed into logs.
    expect(error.message).not.toContain(value);
  });

  it('lists every problem in one error, in file order', () => {
    const error = failure(
      yamlWith((config) => {
        config['accountId'] = '12345';
        section(config, 'retention')['logRetentionDays'] = 31;
        section(config, 'ecs')['worker'] = { cpu: 512, memory: 512 };
        section(config, 'alerts')['emails'] = ['not-an-email'];
      }),
    );
    expect(error.issues.map((issue) => formatPath(issue.path))).toEqual([
      'accountId',
      'retention.logRetentionDays',
      'ecs.worker.memory',
      'alerts.emails[0]',
    ]);
    expect(error.message).toContain('(4 problems)');
    expect(issueAt(error, 'retention.logRetentionDays')?.message).toContain('nearest: 30');
    const lines = error.issues.map((issue) => issue.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('still runs cross-field checks when an unrelated field is malformed', () => {
    const error = failure(
      yamlWith((config) => {
        section(config, 'fmp')['callsPerMinute'] = 1.5;
        config['lake'] = { kind: 'filesystem' };
      }),
    );
    expect(issueAt(error, 'fmp.callsPerMinute')?.message).toBe('must be a whole number');
    expect(issueAt(error, 'lake.kind')?.message).toContain('must be "s3" for env dev');
  });

  it('asks for a quoted account id when YAML read it as a number', () => {
    const error = failure(yamlWith((config) => void (config['accountId'] = 12345678901)));
    expect(issueAt(error, 'accountId')?.message).toContain('quote the account id');
  });

  it('rejects an env that contradicts the file name', () => {
    const error = failure(
      yamlWith(() => undefined),
      'config/prod.yaml',
    );
    expect(issueAt(error, 'env')?.message).toContain('the file is prod.yaml');
  });

  it('rejects an S3 lake for local and a filesystem lake for AWS', () => {
    const error = failure(yamlWith((config) => void (config['lake'] = { kind: 'filesystem' })));
    expect(issueAt(error, 'lake.kind')?.message).toContain('must be "s3" for env dev');
  });

  it('rejects a secret name that belongs to another environment', () => {
    const error = failure(
      yamlWith(
        (config) => void (section(config, 'secretNames')['fmpApiKey'] = 'finks/prod/fmp-api-key'),
      ),
    );
    expect(issueAt(error, 'secretNames.fmpApiKey')?.message).toContain(
      'must start with "finks/dev/"',
    );
  });

  it('rejects a secret name that only contains the env as a later segment', () => {
    // IAM grants `finks/<env>/*`: this name sits in prod's namespace, not dev's.
    const error = failure(
      yamlWith(
        (config) =>
          void (section(config, 'alerts')['slackWebhookSecretName'] = 'finks/prod/dev/webhook'),
      ),
    );
    expect(issueAt(error, 'alerts.slackWebhookSecretName')?.message).toBe(
      'must start with "finks/dev/" (got "finks/prod/dev/webhook"): IAM lets env dev\'s tasks read only secrets under "finks/dev/*"',
    );
  });

  it('rejects S3 lifecycle days that S3 itself would refuse', () => {
    const error = failure(
      yamlWith((config) => {
        section(config, 'retention')['bronzeInfrequentAccessDays'] = 45;
        section(config, 'retention')['bronzeGlacierDays'] = 60;
      }),
    );
    expect(issueAt(error, 'retention.bronzeGlacierDays')?.message).toContain(
      'at least bronzeInfrequentAccessDays + 30 (75)',
    );
  });

  it('rejects the retired FMP v3 base URL', () => {
    const error = failure(
      yamlWith(
        (config) =>
          void (section(config, 'fmp')['baseUrl'] = 'https://financialmodelingprep.com/api/v3'),
      ),
    );
    expect(issueAt(error, 'fmp.baseUrl')?.message).toContain('shut down');
  });

  it('rejects a per-minute FMP limit above the daily one', () => {
    const error = failure(yamlWith((config) => void (section(config, 'fmp')['callsPerDay'] = 250)));
    expect(issueAt(error, 'fmp.callsPerMinute')?.message).toContain('more than callsPerDay (250)');
  });

  it('rejects a file that is not a mapping', () => {
    const error = failure('- just\n- a list\n');
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('must be a mapping');
  });
});

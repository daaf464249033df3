import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PREFECT_TIME_ZONES } from '@finks/config';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import {
  applyAutomation,
  applyBlock,
  applyBlockDocument,
  applyDeployment,
  applyVariable,
  applyWorkPool,
  applyWorkQueue,
  createPrefectClient,
  flow,
  flowRunFailureNotification,
  PrefectArgumentError,
  unwrap,
  type Applied,
  type DeploymentSpec,
} from '../src/index';
import { workspaceRoot } from '../src/testing/index';

const client = createPrefectClient({ apiUrl: inject('prefectApiUrl') });
const suffix = randomUUID().slice(0, 8);

const dailyPrices = flow(
  {
    name: `daily-prices-${suffix}`,
    parameters: z.object({
      tickers: z.array(z.string()).min(1).describe('Symbols to fetch'),
      lookbackDays: z.number().int().positive().default(5),
    }),
  },
  async () => undefined,
);

const pool = `as-code-${suffix}`;
const deploymentSpec: DeploymentSpec = {
  flow: dailyPrices,
  name: 'nightly',
  entrypoint: 'flows/daily-prices.ts:dailyPrices',
  workPool: pool,
  workQueue: 'prices',
  tags: ['prices', 'nightly'],
  description: 'Fetch end-of-day prices.',
  parameters: { tickers: ['AAPL', 'MSFT'] },
  schedules: [
    { cron: '30 18 * * 1-5', timezone: 'America/New_York', slug: 'weekday-close' },
    { cron: '0 9 * * 6', timezone: 'Europe/Berlin', slug: 'saturday', active: false },
  ],
  jobVariables: { env: { LOG_LEVEL: 'info' } },
};

const credentials = z.object({
  username: z.string(),
  password: z.string(),
  endpoint: z.string().default('https://api.example.com'),
});

/** Everything the apply manages, as the API shows it, including `updated` timestamps. */
async function snapshot(): Promise<unknown> {
  const { api } = client;
  const deployment = await unwrap(
    api.GET('/deployments/name/{flow_name}/{deployment_name}', {
      params: { path: { flow_name: dailyPrices.flowName, deployment_name: 'nightly' } },
    }),
  );
  return {
    pool: await unwrap(api.GET('/work_pools/{name}', { params: { path: { name: pool } } })),
    queue: await unwrap(
      api.GET('/work_pools/{work_pool_name}/queues/{name}', {
        params: { path: { work_pool_name: pool, name: 'prices' } },
      }),
    ),
    deployment: { ...deployment, last_polled: null, status: null },
    variable: await unwrap(
      api.GET('/variables/name/{name}', { params: { path: { name: `price-sources-${suffix}` } } }),
    ),
    blockType: await unwrap(
      api.GET('/block_types/slug/{slug}', { params: { path: { slug: `vendor-api-${suffix}` } } }),
    ),
    blockDocument: await unwrap(
      api.GET('/block_types/slug/{slug}/block_documents/name/{block_document_name}', {
        params: {
          path: { slug: `vendor-api-${suffix}`, block_document_name: 'prod' },
          query: { include_secrets: true },
        },
      }),
    ),
    automations: await unwrap(
      api.POST('/automations/filter', {
        body: { automations: { name: { any_: [`notify-failed-${suffix}`] } } },
      }),
    ),
  };
}

async function applyAll(): Promise<Applied<unknown>[]> {
  const results: Applied<unknown>[] = [];
  results.push(await applyWorkPool(client, { name: pool, description: 'as-code test pool' }));
  results.push(await applyWorkQueue(client, { pool, name: 'prices', priority: 5 }));
  results.push(await applyDeployment(client, deploymentSpec));
  results.push(
    await applyVariable(client, {
      name: `price-sources-${suffix}`,
      value: { primary: 'fmp', fallbacks: ['stooq'] },
      tags: ['prices'],
    }),
  );
  const block = await applyBlock(client, {
    type: {
      slug: `vendor-api-${suffix}`,
      name: `Vendor API ${suffix}`,
      description: 'Credentials',
    },
    fields: credentials,
    secretFields: ['password'],
    documents: [{ name: 'prod', data: { username: 'svc', password: 's3cret' } }],
  });
  results.push(block.type, block.schema, ...block.documents);
  const webhook = await applyBlockDocument(client, {
    blockTypeSlug: 'slack-webhook',
    name: `alerts-${suffix}`,
    data: { url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  });
  results.push(webhook);
  results.push(
    await applyAutomation(
      client,
      flowRunFailureNotification({
        name: `notify-failed-${suffix}`,
        blockDocumentId: webhook.id,
        flowNames: [dailyPrices.flowName],
      }),
    ),
  );
  return results;
}

describe('as code', () => {
  let first: Applied<unknown>[];
  let before: unknown;
  let second: Applied<unknown>[];

  beforeAll(async () => {
    first = await applyAll();
    before = await snapshot();
    second = await applyAll();
  });

  it('creates everything on the first apply', () => {
    expect(first.map((result) => result.action)).toEqual(Array(first.length).fill('created'));
  });

  it('changes nothing on the second apply', async () => {
    expect(second.map((result) => result.action)).toEqual(Array(second.length).fill('unchanged'));
    expect(second.map((result) => result.id)).toEqual(first.map((result) => result.id));
    expect(await snapshot()).toEqual(before);
  });

  it('stores cron schedules with IANA time zones and the zod-derived parameter schema', async () => {
    const deployment = (before as { deployment: Record<string, unknown> }).deployment as {
      schedules: { schedule: unknown; active: boolean; slug: string }[];
      parameter_openapi_schema: Record<string, unknown>;
      enforce_parameter_schema: boolean;
      work_queue_name: string;
    };
    const schedules = [...deployment.schedules].sort((a, b) => b.slug.localeCompare(a.slug));
    expect(schedules.map((s) => [s.slug, s.schedule, s.active])).toEqual([
      [
        'weekday-close',
        { cron: '30 18 * * 1-5', timezone: 'America/New_York', day_or: true },
        true,
      ],
      ['saturday', { cron: '0 9 * * 6', timezone: 'Europe/Berlin', day_or: true }, false],
    ]);
    expect(deployment.work_queue_name).toBe('prices');
    expect(deployment.enforce_parameter_schema).toBe(true);
    expect(deployment.parameter_openapi_schema).toEqual({
      title: 'Parameters',
      type: 'object',
      properties: {
        tickers: {
          title: 'Tickers',
          type: 'array',
          items: { type: 'string' },
          minItems: 1,
          description: 'Symbols to fetch',
          position: 0,
        },
        lookbackDays: {
          title: 'LookbackDays',
          type: 'integer',
          default: 5,
          exclusiveMinimum: 0,
          maximum: Number.MAX_SAFE_INTEGER,
          position: 1,
        },
      },
      required: ['tickers'],
    });
  });

  it('rejects runs whose parameters break the schema (enforced server-side)', async () => {
    const deployment = (before as { deployment: { id: string } }).deployment;
    const { response } = await client.api.POST('/deployments/{id}/create_flow_run', {
      params: { path: { id: deployment.id } },
      body: { parameters: { tickers: 'AAPL' } },
    });
    expect(response.status).toBe(409);
  });

  it('keeps secret fields hidden unless asked for', async () => {
    const hidden = await unwrap(
      client.api.GET('/block_types/slug/{slug}/block_documents/name/{block_document_name}', {
        params: { path: { slug: `vendor-api-${suffix}`, block_document_name: 'prod' } },
      }),
    );
    expect(hidden.data).toMatchObject({ username: 'svc', endpoint: 'https://api.example.com' });
    expect(hidden.data?.['password']).not.toBe('s3cret');
    const revealed = (before as { blockDocument: { data: Record<string, unknown> } }).blockDocument;
    expect(revealed.data['password']).toBe('s3cret');
    const schema = await unwrap(
      client.api.GET('/block_schemas/{id}', {
        params: {
          path: { id: second.find((r) => r.action && 'fields' in (r.object as object))?.id ?? '' },
        },
      }),
    );
    expect(schema.fields?.['secret_fields']).toEqual(['password']);
  });

  it('updates only what changed, then is unchanged again', async () => {
    const changed = {
      ...deploymentSpec,
      tags: ['prices'],
      schedules: (deploymentSpec.schedules ?? []).slice(0, 1),
    };
    const update = await applyDeployment(client, changed);
    expect(update.action).toBe('updated');
    expect(update.object.tags).toEqual(['prices']);
    expect(update.object.schedules).toHaveLength(1);
    expect((await applyDeployment(client, changed)).action).toBe('unchanged');

    const variable = await applyVariable(client, { name: `price-sources-${suffix}`, value: 'fmp' });
    expect(variable.action).toBe('updated');
    expect(variable.object.value).toBe('fmp');
  });

  it('refuses time zones the server would refuse, before sending anything', async () => {
    // ICU still resolves this dropped tzdata ID; Prefect's server (zoneinfo) does not.
    const refused = await applyDeployment(client, {
      ...deploymentSpec,
      name: `tz-refused-${suffix}`,
      schedules: [{ cron: '0 9 * * *', timezone: 'US/Pacific-New' }],
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PrefectArgumentError);
    expect((refused as Error).message).toContain(
      'Schedule time zone: "US/Pacific-New" is not an IANA time zone Prefect accepts',
    );
  });

  it('accepts the tzdata links the server accepts, like EST', async () => {
    const applied = await applyDeployment(client, {
      ...deploymentSpec,
      name: `tz-link-${suffix}`,
      schedules: [{ cron: '0 9 * * *', timezone: 'EST' }],
    });
    expect(applied.object.schedules?.[0]?.schedule).toMatchObject({ timezone: 'EST' });
  });

  it('shares its time zone list with the server: the venv Python zoneinfo', () => {
    const python = join(workspaceRoot(), '.venv', 'bin', 'python');
    const listed = execFileSync(python, [
      '-c',
      'import json, zoneinfo; print(json.dumps(sorted(zoneinfo.available_timezones())))',
    ]).toString();
    const server = (JSON.parse(listed) as string[]).filter(
      (name) => name !== 'localtime' && name !== 'Factory',
    );
    // On drift, regenerate libs/config/src/rules/prefect-time-zones.ts (see its header).
    expect([...PREFECT_TIME_ZONES].sort()).toEqual(server);
  });
});

// The Prefect objects of an environment as code, against a real Prefect server: what the plan
// holds (schedules from the config, the network from the stack outputs), that applying it twice
// changes nothing the second time, and that bad config or outputs are refused with the cause.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@finks/config';
import { prefectApiUrl } from '@finks/dev-services';
import { createPrefectClient, unwrap } from '@finks/prefect';
import { describe, expect, it } from 'vitest';
import { applyDeployPlan } from '../../src/deploy/apply';
import { DEPLOYMENT_NAMES, deploymentPlan } from '../../src/deploy/plan';
import { readStackNetwork } from '../../src/deploy/stack-network';
import { readUniverse } from '../../src/deploy/universe';
import { validateDeployments } from '../../src/deploy/validate';

const network = { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'] };
const universe = ['AAPL', 'MSFT'];

describe('deployment plan', () => {
  it('attaches each config schedule to its deployment, with the IANA time zone', () => {
    const plan = deploymentPlan(loadConfig({ env: 'dev' }), {
      path: '/opt/finks',
      universe,
      network,
    });
    const eod = plan.deployments.find((d) => d.name === 'fmp-eod-prices');
    expect(eod?.flow.flowName).toBe('ingestion-fmp');
    expect(eod?.schedules).toEqual([
      { cron: '30 18 * * 1-5', timezone: 'America/New_York', slug: 'fmp-eod-prices' },
    ]);
    expect(eod?.parameters).toEqual({
      env: 'dev',
      symbols: universe,
      datasets: ['splits', 'eod_prices'],
    });
    const drift = plan.deployments.find((d) => d.name === 'validate-schemas');
    expect(drift?.flow.flowName).toBe('transformation-validate-schemas');
    expect(drift?.schedules).toEqual([
      { cron: '0 2 * * *', timezone: 'UTC', slug: 'validate-schemas' },
    ]);
    expect(drift?.parameters).toEqual({ env: 'dev' });
    // Deployments the config does not schedule exist, unscheduled (run on demand): the
    // cleansing runs scheduled inside dbt-build (below).
    expect(plan.deployments.find((d) => d.name === 'bronze-to-silver')?.schedules).toEqual([]);
    expect(plan.jobVariables.env).toMatchObject({
      FINKS_ENV: 'dev',
      FINKS_ECS_SUBNETS: 'subnet-a,subnet-b',
      FINKS_ECS_SECURITY_GROUPS: 'sg-1',
    });
    expect(plan.awsSettings.data.buckets['bronze']).toBe('finks-dev-bronze-111111111111');
    // Secrets appear by reference (their Secrets Manager names), never by value.
    expect(plan.awsSettings.data.secretNames).toEqual({
      fmpApiKey: 'finks/dev/fmp-api-key',
      mongodbUri: 'finks/dev/mongodb-uri',
    });
  });

  // Gold is built on a silver that has every bronze batch landed before the build: the scheduled
  // dbt-build cleanses the pending batches first, after the day's end-of-day prices, and is the
  // only scheduled run that writes silver (two cleansings of one dataset must not write its
  // partitions at once).
  it.each(['dev', 'staging', 'prod'])(
    '%s: the scheduled dbt-build cleanses pending bronze first, after the eod ingestion',
    (env) => {
      const plan = deploymentPlan(loadConfig({ env }), { path: '/opt/finks', universe, network });
      const byName = (name: string) => plan.deployments.find((d) => d.name === name);
      const dbt = byName('dbt-build');
      expect(dbt?.flow.flowName).toBe('transformation-silver-to-gold');
      expect(dbt?.parameters).toEqual({ env, cleansePendingFirst: true });
      const [build] = dbt?.schedules ?? [];
      const [eod] = byName('fmp-eod-prices')?.schedules ?? [];
      expect(build && eod).toBeTruthy();
      // Same zone and days; the build's minute of the day after the eod run's.
      const [eodMinute, eodHour, , , eodDays] = eod!.cron.split(/\s+/);
      const [buildMinute, buildHour, , , buildDays] = build!.cron.split(/\s+/);
      expect(build!.timezone).toBe(eod!.timezone);
      expect(buildDays).toBe(eodDays);
      expect(Number(buildHour) * 60 + Number(buildMinute)).toBeGreaterThan(
        Number(eodHour) * 60 + Number(eodMinute),
      );
      const scheduledSilverWriters = plan.deployments.filter(
        (d) =>
          d.schedules.length > 0 &&
          (['transformation-bronze-to-silver', 'master-flow'].includes(d.flow.flowName) ||
            d.parameters['cleansePendingFirst'] === true),
      );
      expect(scheduledSilverWriters.map((d) => d.name)).toEqual(['dbt-build']);
    },
  );

  it('refuses a config schedule that names no deployment, listing the names', () => {
    const config = loadConfig({ env: 'dev' });
    const bad = {
      ...config,
      schedules: { ...config.schedules, 'fmp-eod-price': config.schedules['fmp-eod-prices']! },
    };
    expect(() => deploymentPlan(bad, { path: '/x', universe, network })).toThrow(
      new RegExp(`"fmp-eod-price" name no deployment; use one of ${DEPLOYMENT_NAMES[0]}`),
    );
  });

  it('reads the ECS network from stack outputs and names a missing output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finks-stack-'));
    const good = join(dir, 'good.json');
    await writeFile(
      good,
      JSON.stringify({ privateSubnetIds: ['subnet-1'], workloadSecurityGroupId: 'sg-9' }),
    );
    expect(readStackNetwork('dev', good)).toEqual({
      subnets: ['subnet-1'],
      securityGroups: ['sg-9'],
    });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ privateSubnetIds: [] }));
    expect(() => readStackNetwork('dev', bad)).toThrow(/privateSubnetIds must be a non-empty list/);
  });

  it('reads the committed universe and refuses a bad ticker with its line', async () => {
    expect(readUniverse().length).toBeGreaterThan(5);
    const file = join(await mkdtemp(join(tmpdir(), 'finks-universe-')), 'u.txt');
    await writeFile(file, '# tickers\nAAPL\naapl\n');
    expect(() => readUniverse(file)).toThrow(/u\.txt:3: "aapl" is not an FMP ticker/);
  });
});

describe('deploy against a real Prefect server', () => {
  const client = createPrefectClient({ apiUrl: prefectApiUrl() });

  it('creates the objects once, then a second apply changes nothing', async () => {
    const plan = deploymentPlan(loadConfig({ env: 'staging' }), {
      path: '/opt/finks',
      universe,
      network,
    });
    await applyDeployPlan(client, plan);
    const second = await applyDeployPlan(client, plan);
    expect(second.filter((o) => o.action !== 'unchanged')).toEqual([]);
    expect(second.filter((o) => o.kind === 'deployment')).toHaveLength(DEPLOYMENT_NAMES.length);

    const deployment = await unwrap(
      client.api.GET('/deployments/name/{flow_name}/{deployment_name}', {
        params: { path: { flow_name: 'ingestion-fmp', deployment_name: 'fmp-eod-prices' } },
      }),
    );
    expect(deployment.work_pool_name).toBe('finks-staging');
    expect(deployment.entrypoint).toBe('apps/pipelines/src/flows/deployable.ts:ingestionFmpFlow');
    expect(deployment.parameters).toMatchObject({
      env: 'staging',
      datasets: ['splits', 'eod_prices'],
    });
    const schedule = deployment.schedules?.[0]?.schedule as { cron?: string; timezone?: string };
    expect(schedule).toMatchObject({ cron: '30 18 * * 1-5', timezone: 'America/New_York' });
    // The flows' zod schemas become the deployments' parameter schemas.
    expect(JSON.stringify(deployment.parameter_openapi_schema)).toContain('symbols');

    const pool = await unwrap(
      client.api.GET('/work_pools/{name}', { params: { path: { name: 'finks-staging' } } }),
    );
    const variables = (
      pool.base_job_template as { variables: { properties: Record<string, { default?: unknown }> } }
    ).variables.properties;
    expect(variables['env']?.default).toMatchObject({ FINKS_ECS_SUBNETS: 'subnet-a,subnet-b' });
  }, 180_000);

  it('an edited plan updates only what changed', async () => {
    const config = loadConfig({ env: 'staging' });
    await applyDeployPlan(
      client,
      deploymentPlan(config, { path: '/opt/finks', universe, network }),
    );
    const edited = deploymentPlan(config, {
      path: '/opt/finks',
      universe: [...universe, 'NVDA'],
      network,
    });
    const changed = (await applyDeployPlan(client, edited)).filter((o) => o.action !== 'unchanged');
    expect(changed.map((o) => `${o.kind} ${o.name}`).sort()).toEqual(
      [
        'deployment ingestion-fmp/fmp-company-profiles',
        'deployment ingestion-fmp/fmp-eod-prices',
        'deployment ingestion-fmp/fmp-fundamentals',
        'deployment ingestion-fmp/fmp-news',
        'deployment ingestion-fmp/fmp-quotes',
        'deployment master-flow/master-flow',
        'variable finks_fmp_universe',
      ].sort(),
    );
    await applyDeployPlan(
      client,
      deploymentPlan(config, { path: '/opt/finks', universe, network }),
    );
  }, 180_000);

  it('validate: every environment loads, fits its flows and applies idempotently', async () => {
    const report = await validateDeployments(client);
    expect(report.problems).toEqual([]);
    expect(report.plans.map((p) => p.env)).toEqual(['local', 'dev', 'staging', 'prod']);
  }, 300_000);
});

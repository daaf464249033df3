// What `pipelines:deploy` registers in an environment's Prefect, computed from libs/config: the
// work pool, the AWS-settings block (names only — secrets stay in Secrets Manager and are named
// by reference), variables, one deployment per flow, and the config's schedules attached to the
// deployments they drive. Pure: `deploy-dry-run` prints it, `deploy` applies it. A plan with a
// deployment that could never run as deployed is refused (deployment-problems.ts).
import type { FinksConfig } from '@finks/config';
import {
  FINKS_WORKER_TYPE,
  finksBaseJobTemplate,
  type AnyFlow,
  type CronScheduleSpec,
  type VariableSpec,
  type WorkPoolSpec,
} from '@finks/prefect';
import { snsTopicName } from '@finks/iam-names';
import { ZONES, bucketName, parseEnv } from '@finks/lake-paths';
import * as deployable from '../flows/deployable';
import { alertTopicArn } from '../flows/notify';
import { ECS_WORKLOADS, ecsTargetFor, pipelinesGlueJobName } from '../aws';
import { CATCH_UP_DAYS } from '../transformation/bronze-to-silver/catch-up-window';
import { DeploymentPlanError } from './deployment-plan-error';
import { deploymentProblems } from './deployment-problems';

export const ENTRYPOINT_FILE = 'apps/pipelines/src/flows/deployable.ts';

/** A deployment: which flow, its default parameters, and the config schedules that run it. */
export interface PlannedDeployment {
  readonly name: string;
  readonly flow: AnyFlow;
  readonly entrypoint: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly schedules: readonly CronScheduleSpec[];
  readonly tags: readonly string[];
  readonly description: string;
}

export interface DeployPlan {
  readonly env: string;
  readonly workPool: WorkPoolSpec;
  /** The work pool's job variables: where the flows' process finds its environment. */
  readonly jobVariables: {
    readonly env: Readonly<Record<string, string>>;
    readonly working_dir: string;
  };
  readonly awsSettings: { readonly name: string; readonly data: AwsSettings };
  readonly variables: readonly VariableSpec[];
  readonly deployments: readonly PlannedDeployment[];
  /** The alert topic the flows notify through (a finks-sns-topic block), when the env has one. */
  readonly alertTopic: { readonly arn: string; readonly region: string } | null;
}

export interface AwsSettings {
  readonly region: string;
  readonly accountId: string;
  readonly lakeKind: string;
  readonly buckets: Readonly<Record<string, string>>;
  readonly ecsCluster: string;
  readonly taskFamilies: Readonly<Record<string, string>>;
  readonly glueJobs: Readonly<Record<string, string>>;
  readonly alertTopic: string | null;
  /** Secrets Manager names (references, never values). */
  readonly secretNames: Readonly<Record<string, string | null>>;
}

export interface PlanOptions {
  /** The checkout on the worker's host the entrypoints are relative to. */
  readonly path: string;
  readonly universe: readonly string[];
  /** From the infrastructure stack outputs (AWS environments). */
  readonly network?: {
    readonly subnets: readonly string[];
    readonly securityGroups: readonly string[];
  };
}

type Entry = keyof typeof deployable;

interface Slot {
  readonly name: string;
  readonly exportName: Entry;
  readonly description: string;
  readonly parameters: (env: string, universe: readonly string[]) => Record<string, unknown>;
}

const STATEMENTS = ['income_statements', 'balance_sheets', 'cash_flow_statements'];

/**
 * One deployment per flow, plus one per FMP workload with its own cadence. A config schedule
 * attaches to the deployment of the same name; unknown schedule names are an error.
 */
const SLOTS: readonly Slot[] = [
  {
    name: 'fmp-eod-prices',
    exportName: 'ingestionFmpFlow',
    description: 'Splits, then end-of-day prices after the US close',
    // Splits first: a split newer than a symbol's price basis makes the connector re-read that
    // symbol's split-adjusted history in the same run.
    parameters: (env, universe) => ({
      env,
      symbols: [...universe],
      datasets: ['splits', 'eod_prices'],
    }),
  },
  {
    name: 'fmp-quotes',
    exportName: 'ingestionFmpFlow',
    description: 'Intraday quotes during market hours',
    parameters: (env, universe) => ({ env, symbols: [...universe], datasets: ['quotes'] }),
  },
  {
    name: 'fmp-fundamentals',
    exportName: 'ingestionFmpFlow',
    description: 'Financial statements (income, balance sheet, cash flow)',
    parameters: (env, universe) => ({ env, symbols: [...universe], datasets: STATEMENTS }),
  },
  {
    name: 'fmp-company-profiles',
    exportName: 'ingestionFmpFlow',
    description: 'Company profiles',
    parameters: (env, universe) => ({
      env,
      symbols: [...universe],
      datasets: ['company_profiles'],
    }),
  },
  {
    name: 'fmp-news',
    exportName: 'ingestionFmpFlow',
    description: 'Stock news, paged until an empty page',
    parameters: (env, universe) => ({ env, symbols: [...universe], datasets: ['news'] }),
  },
  {
    name: 'mongodb-portfolio',
    exportName: 'ingestionMongodbFlow',
    description: 'Portfolios and transactions, incremental',
    parameters: (env) => ({ env }),
  },
  {
    name: 'news-stream-watchdog',
    exportName: 'ingestionStreamingFlow',
    description: 'Keeps the news-stream connector alive and fresh',
    parameters: (env) => ({ env }),
  },
  {
    name: 'bronze-to-silver',
    exportName: 'bronzeToSilverFlow',
    description:
      `Cleanses the bronze batches silver lacks over the last ${CATCH_UP_DAYS} UTC days ` +
      'and today; a backfill gives `dates` with batches "all", a contract change batches "rebuild"',
    // As deployed (a quick run after an incident): the catch-up the scheduled dbt-build runs too.
    parameters: (env) => ({ env, batches: 'pending' }),
  },
  {
    name: 'validate-schemas',
    exportName: 'validateSchemasFlow',
    description: 'Bronze against the dataset contracts: schema drift fails the run and notifies',
    parameters: (env) => ({ env }),
  },
  {
    name: 'dbt-build',
    exportName: 'silverToGoldFlow',
    description:
      'Cleanses the bronze batches silver lacks (as bronze-to-silver does), then silver → gold marts',
    // Gold is never built on a silver that misses bronze already landed: the run cleanses first,
    // in order (src/flows/transformation/silver-to-gold.ts says why not a second schedule).
    parameters: (env) => ({ env, cleansePendingFirst: true }),
  },
  {
    name: 'master-flow',
    exportName: 'masterFlowDeployable',
    description: 'Sources → bronze → silver → gold',
    parameters: (env, universe) => ({ env, tickers: [...universe], mongodbDatabase: 'finks' }),
  },
];

export const DEPLOYMENT_NAMES = SLOTS.map((slot) => slot.name);

export function workPoolName(env: string): string {
  return `finks-${env}`;
}

export function deploymentPlan(config: FinksConfig, options: PlanOptions): DeployPlan {
  const env = parseEnv(config.env);
  const unknown = Object.keys(config.schedules).filter((name) => !DEPLOYMENT_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `config/${env}.yaml schedules: ${unknown.map((n) => `"${n}"`).join(', ')} name no deployment; ` +
        `use one of ${DEPLOYMENT_NAMES.join(', ')}`,
    );
  }
  const deployments = SLOTS.map((slot): PlannedDeployment => {
    const schedule = config.schedules[slot.name];
    return {
      name: slot.name,
      flow: deployable[slot.exportName] as AnyFlow,
      entrypoint: `${ENTRYPOINT_FILE}:${slot.exportName}`,
      parameters: slot.parameters(env, options.universe),
      schedules: schedule
        ? [{ cron: schedule.cron, timezone: schedule.timezone, slug: slot.name }]
        : [],
      tags: ['finks', env],
      description: slot.description,
    };
  });
  const problems = deployments.flatMap(deploymentProblems);
  if (problems.length > 0) throw new DeploymentPlanError(env, problems);
  const network = options.network;
  const jobEnv: Record<string, string> = {
    FINKS_ENV: env,
    ...(network
      ? {
          FINKS_ECS_SUBNETS: network.subnets.join(','),
          FINKS_ECS_SECURITY_GROUPS: network.securityGroups.join(','),
        }
      : {}),
  };
  const name = workPoolName(env);
  const topicArn = alertTopicArn(config);
  return {
    env,
    workPool: {
      name,
      type: FINKS_WORKER_TYPE,
      baseJobTemplate: withDefaults(finksBaseJobTemplate(), {
        env: jobEnv,
        working_dir: options.path,
      }),
      description: `Finks ${env}: flows run by finks-worker`,
    },
    jobVariables: { env: jobEnv, working_dir: options.path },
    awsSettings: { name: `finks-${env}`, data: awsSettings(config) },
    variables: [
      { name: 'finks_env', value: env, tags: ['finks'] },
      { name: 'finks_fmp_plan', value: config.fmp.plan, tags: ['finks'] },
      { name: 'finks_fmp_calls_per_minute', value: config.fmp.callsPerMinute, tags: ['finks'] },
      { name: 'finks_fmp_universe', value: [...options.universe], tags: ['finks'] },
    ],
    deployments,
    alertTopic: topicArn ? { arn: topicArn, region: config.region } : null,
  };
}

function awsSettings(config: FinksConfig): AwsSettings {
  const env = parseEnv(config.env);
  return {
    region: config.region,
    accountId: config.accountId,
    lakeKind: config.lake.kind,
    buckets: Object.fromEntries(
      ZONES.map((zone) => [zone, bucketName({ env, zone, accountId: config.accountId })]),
    ),
    ecsCluster: ecsTargetFor('dbtRunner', env).cluster,
    taskFamilies: Object.fromEntries(
      (Object.keys(ECS_WORKLOADS) as (keyof typeof ECS_WORKLOADS)[]).map((key) => [
        key,
        ecsTargetFor(key, env).taskDefinition,
      ]),
    ),
    glueJobs: {
      cleanseMarketData: pipelinesGlueJobName(env, 'cleanse_market_data'),
      validateSchemas: pipelinesGlueJobName(env, 'validate_schemas'),
    },
    alertTopic: config.alerts.snsTopic
      ? snsTopicName({ app: 'infrastructure', env, component: 'alerts' })
      : null,
    secretNames: { ...config.secretNames },
  };
}

/** The pool's template with these values as the variables' defaults (deployments inherit them). */
function withDefaults(
  template: ReturnType<typeof finksBaseJobTemplate>,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const properties = { ...template.variables.properties };
  for (const [key, value] of Object.entries(defaults)) {
    const property = properties[key];
    if (property) properties[key] = { ...property, default: value };
  }
  return { ...template, variables: { ...template.variables, properties } };
}

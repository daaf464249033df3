import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type FinksConfig } from '@finks/config';
import { isAwsEnv, type AwsEnv } from '../common/aws-env';
import { workloadImageTag } from '../common/image-tags';
import { WORKLOADS } from '../common/workloads';
import { StackSettingsError } from './stack-settings-error';

/** The repository root, found from this file's place in `apps/infrastructure/src/stack`. */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the pipelines app keeps the PySpark scripts the Glue jobs run. */
export const DEFAULT_GLUE_SCRIPTS_DIR = join(WORKSPACE_ROOT, 'apps/pipelines/glue_scripts');

/** The scripts Transformation uploads, one Glue job each. */
export const GLUE_SCRIPTS = ['cleanse_market_data', 'validate_schemas'] as const;
export type GlueScript = (typeof GLUE_SCRIPTS)[number];

/** Python modules the scripts import; uploaded beside them and given as `--extra-py-files`. */
export const GLUE_SCRIPT_MODULES = ['finks_silver', 'silver_lock'] as const;
export type GlueScriptModule = (typeof GLUE_SCRIPT_MODULES)[number];

export type PrefectSetting =
  { readonly mode: 'self-hosted' } | { readonly mode: 'cloud'; readonly apiUrl: string };

export type ApiAuthSetting =
  | { readonly kind: 'iam' }
  | { readonly kind: 'jwt'; readonly issuer: string; readonly audience: readonly string[] };

/** Everything the program needs, checked before any resource is declared. */
export interface StackSettings {
  readonly env: AwsEnv;
  /** `config/<env>.yaml`, validated by @finks/config. */
  readonly config: FinksConfig;
  readonly owner: string;
  readonly costCenter: string;
  /** `owner/name` of the GitHub repository whose workflows may assume the deploy roles. */
  readonly githubRepository: string;
  readonly glueScriptsDir: string;
  readonly prefect: PrefectSetting;
  readonly apiAuth: ApiAuthSetting;
  readonly vpcCidr: string;
  /**
   * The image tag the task definitions start with, after the component prefix
   * (`<component>-<imageTag>`, see common/image-tags.ts); app deploys register newer revisions.
   */
  readonly imageTag: string;
}

/** The part of `pulumi.Config` the settings read (so tests pass a plain object). */
export interface StackConfigSource {
  get(key: string): string | undefined;
}

export interface ReadStackSettingsOptions {
  /** The Pulumi stack name: dev, staging or prod. */
  readonly stack: string;
  readonly stackConfig: StackConfigSource;
  /** Folder of `<env>.yaml`; defaults to the stack setting `configDir`, then the repository's `config/`. */
  readonly configDir?: string;
}

const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const TAG_VALUE = /^[\w .:/=+@-]{1,256}$/;
const CIDR_16 = /^10\.(\d{1,3})\.0\.0\/16$/;

/**
 * Reads the stack's settings: environment settings from `config/<env>.yaml` through
 * @finks/config (throws its ConfigError naming file and field), Pulumi-only settings from
 * `Pulumi.<stack>.yaml` (throws StackSettingsError naming the key). Also checks that the Glue
 * scripts exist, so a missing script fails here rather than half-way through a deployment.
 */
export function readStackSettings(options: ReadStackSettingsOptions): StackSettings {
  const { stack, stackConfig } = options;
  if (!isAwsEnv(stack)) {
    throw new StackSettingsError(
      'stack',
      `is "${stack}"; the stack name is the environment it deploys (dev, staging or prod)`,
    );
  }
  const configDir = options.configDir ?? stackConfig.get('configDir');
  const config = loadConfig({
    env: stack,
    ...(configDir === undefined ? {} : { configDir: resolve(WORKSPACE_ROOT, configDir) }),
  });

  const required = (key: string, pattern: RegExp, expected: string): string => {
    const value = stackConfig.get(key);
    if (value === undefined || value.trim() === '') {
      throw new StackSettingsError(
        key,
        `is required (${expected}); set it with \`pulumi config set ${key} <value> --stack ${stack}\``,
      );
    }
    if (!pattern.test(value))
      throw new StackSettingsError(key, `is "${value}"; expected ${expected}`);
    return value;
  };

  const owner = required('owner', TAG_VALUE, 'a team name usable as a tag value');
  const costCenter = required('costCenter', TAG_VALUE, 'a cost center usable as a tag value');
  const githubRepository = required(
    'githubRepository',
    GITHUB_REPOSITORY,
    'the GitHub repository as owner/name',
  );
  const vpcCidr = stackConfig.get('vpcCidr') ?? '10.0.0.0/16';
  const octet = CIDR_16.exec(vpcCidr)?.[1];
  if (octet === undefined || Number(octet) > 255) {
    throw new StackSettingsError('vpcCidr', `is "${vpcCidr}"; expected a 10.N.0.0/16 block`);
  }

  const prefectCloudApiUrl = stackConfig.get('prefectCloudApiUrl');
  let prefect: PrefectSetting = { mode: 'self-hosted' };
  if (prefectCloudApiUrl !== undefined) {
    if (
      !/^https:\/\/api\.prefect\.cloud\/api\/accounts\/[\w-]+\/workspaces\/[\w-]+$/.test(
        prefectCloudApiUrl,
      )
    ) {
      throw new StackSettingsError(
        'prefectCloudApiUrl',
        'must be a Prefect Cloud workspace URL (https://api.prefect.cloud/api/accounts/<id>/workspaces/<id>)',
      );
    }
    prefect = { mode: 'cloud', apiUrl: prefectCloudApiUrl };
  }

  const apiAuth = readApiAuth(stackConfig);
  const imageTag = stackConfig.get('imageTag') ?? 'bootstrap';
  if (!/^[\w][\w.-]{0,127}$/.test(imageTag)) {
    throw new StackSettingsError('imageTag', `is "${imageTag}"; expected a Docker tag`);
  }
  // The longest component makes the longest tag, so checking it checks them all.
  const longest = WORKLOADS.reduce((a, b) => (b.component.length > a.component.length ? b : a));
  try {
    workloadImageTag(longest, imageTag);
  } catch (error) {
    throw new StackSettingsError('imageTag', `is too long: ${(error as Error).message}`);
  }

  const scriptsSetting = stackConfig.get('glueScriptsDir');
  const glueScriptsDir =
    scriptsSetting === undefined
      ? DEFAULT_GLUE_SCRIPTS_DIR
      : isAbsolute(scriptsSetting)
        ? scriptsSetting
        : resolve(WORKSPACE_ROOT, scriptsSetting);
  for (const script of [...GLUE_SCRIPTS, ...GLUE_SCRIPT_MODULES]) {
    const file = join(glueScriptsDir, `${script}.py`);
    if (!existsSync(file)) {
      throw new StackSettingsError(
        'glueScriptsDir',
        `has no ${script}.py (looked for ${file}); the Glue jobs upload their scripts and the modules they import from there — point glueScriptsDir at apps/pipelines/glue_scripts or a folder holding the same files`,
      );
    }
  }

  return {
    env: stack,
    config,
    owner,
    costCenter,
    githubRepository,
    glueScriptsDir,
    prefect,
    apiAuth,
    vpcCidr,
    imageTag,
  };
}

function readApiAuth(stackConfig: StackConfigSource): ApiAuthSetting {
  const issuer = stackConfig.get('apiJwtIssuer');
  const audience = stackConfig.get('apiJwtAudience');
  if (issuer === undefined && audience === undefined) return { kind: 'iam' };
  if (issuer === undefined || !issuer.startsWith('https://')) {
    throw new StackSettingsError(
      'apiJwtIssuer',
      'must be an https issuer URL when apiJwtAudience is set',
    );
  }
  if (audience === undefined || audience.trim() === '') {
    throw new StackSettingsError(
      'apiJwtAudience',
      'is required when apiJwtIssuer is set (comma-separated audiences)',
    );
  }
  return { kind: 'jwt', issuer, audience: audience.split(',').map((item) => item.trim()) };
}

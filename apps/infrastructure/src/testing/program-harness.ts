// Runs the whole program under Pulumi's mocks for one stack and returns what it declared.
import { fileURLToPath } from 'node:url';
import type { AwsEnv } from '../common/aws-env';
import type { StackOutputs } from '../stack-outputs';
import { installMocks, setMockAccount, settle, type MockedResource } from './pulumi-mocks';

export const FIXTURE_GLUE_SCRIPTS = fileURLToPath(
  new URL('../../tests/fixtures/glue_scripts', import.meta.url),
);

export const TEST_STACK_CONFIG: Readonly<Record<string, string>> = {
  owner: 'platform',
  costCenter: 'data-platform',
  githubRepository: 'finks-ai/finks',
  glueScriptsDir: FIXTURE_GLUE_SCRIPTS,
};

export function stackConfig(values: Readonly<Record<string, string>>) {
  return { get: (key: string) => values[key] };
}

export interface ProgramRun {
  readonly env: AwsEnv;
  readonly resources: readonly MockedResource[];
  readonly outputs: StackOutputs;
}

/**
 * Runs the real entry point (`src/main.ts`) on the mocks' stack (the first one installed in the
 * test file), with the stack settings given as Pulumi config, as `pulumi up` would.
 */
export async function runEntryPoint(
  env: AwsEnv,
  config: Readonly<Record<string, string>> = TEST_STACK_CONFIG,
): Promise<ProgramRun> {
  await installMocks('finks-infrastructure', env);
  const pulumi = await import('@pulumi/pulumi');
  if (pulumi.getStack() !== env) {
    throw new Error(
      `the mocks run stack ${pulumi.getStack()}; run the entry point first in the file`,
    );
  }
  const { loadConfig } = await import('@finks/config');
  const configDir = config['configDir'];
  setMockAccount(loadConfig({ env, ...(configDir ? { configDir } : {}) }).accountId);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([key, value]) => [`finks-infrastructure:${key}`, value]),
    ),
  );
  const { default: main } = await import('../main');
  const outputs = main();
  const resources = await settle();
  return { env, resources, outputs };
}

/** Declares one stack's resources under the mocks; runs one stack at a time. */
export async function runProgram(
  env: AwsEnv,
  extraConfig: Readonly<Record<string, string>> = {},
): Promise<ProgramRun> {
  await installMocks('finks-infrastructure', env);
  const { readStackSettings } = await import('../stack/stack-settings');
  const { createInfrastructure } = await import('../program');
  const settings = readStackSettings({
    stack: env,
    stackConfig: stackConfig({ ...TEST_STACK_CONFIG, ...extraConfig }),
  });
  setMockAccount(settings.config.accountId);
  const outputs = createInfrastructure(settings);
  const resources = await settle();
  return { env, resources, outputs };
}

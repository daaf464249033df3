// deploy.sh's worker step: it stops with a sentence naming the fix on what this machine lacks
// (here there is neither a Docker daemon nor an AWS account), and the ECS calls it makes after the
// push — describe, @finks/ecs-deploy's CLI, register, update-service — work against moto's ECS.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { motoEndpoint } from '@finks/dev-services';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DEPLOY_SH = join(ROOT, 'apps/pipelines/deploy.sh');
const NEXT_TASK_REVISION = join(ROOT, 'libs/ecs-deploy/src/cli/next-task-revision.ts');
const REGION = 'ca-central-1';

const MOTO_CREDENTIALS = {
  AWS_ENDPOINT_URL: motoEndpoint(),
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: REGION,
};

/** Runs deploy.sh with only the given environment (no ~/.aws, no inherited credentials). */
function deploy(env: Record<string, string | undefined>, args: readonly string[] = ['staging']) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', [DEPLOY_SH, ...args], {
      env: {
        PATH: process.env['PATH'],
        HOME: tmpdir(),
        PREFECT_API_URL: 'http://127.0.0.1:9/api',
        ...env,
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('deploy.sh fails fast on what the machine lacks', () => {
  it('names the environments it accepts', async () => {
    const result = await deploy({}, ['local']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'deploy pipelines: environment "local" cannot be deployed; use dev, staging or prod\n',
    );
  });

  it('asks for the Prefect API before anything else', async () => {
    const result = await deploy({ PREFECT_API_URL: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'deploy pipelines: PREFECT_API_URL is not set; point it at the staging Prefect API',
    );
  });

  it('names a missing aws CLI', async () => {
    // The system directories hold bash and coreutils but neither aws nor docker.
    const result = await deploy({ PATH: '/usr/bin:/bin' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'deploy pipelines: the aws CLI is not installed; install it (https://aws.amazon.com/cli/) and run again\n',
    );
  });

  it('names missing AWS credentials before building anything', async () => {
    const result = await deploy({
      AWS_REGION: REGION,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deploy pipelines: no usable AWS credentials');
    expect(result.stderr).toContain('configure credentials for the staging account');
    expect(result.stderr).not.toContain('building');
  });

  it('names an unreachable Docker daemon (credentials present)', async () => {
    const result = await deploy({
      ...MOTO_CREDENTIALS,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deploy pipelines: the Docker daemon is not reachable');
    expect(result.stderr).toContain('start Docker (or point DOCKER_HOST at a running daemon)');
    expect(result.stderr).not.toContain('building');
  });
});

describe("deploy.sh's ECS calls, against moto", () => {
  const awsEnv = { ...process.env, ...MOTO_CREDENTIALS, AWS_DEFAULT_REGION: REGION };
  const aws = async (...args: string[]) =>
    JSON.parse((await run('aws', [...args, '--output', 'json'], { env: awsEnv })).stdout) as Record<
      string,
      unknown
    >;

  it('registers the next worker revision through the lib CLI and rolls the service onto it', async () => {
    const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const family = `finks-test-pipelines-worker-${suffix}`;
    const cluster = `finks-test-infrastructure-platform-${suffix}`;
    const service = family;
    const dir = await mkdtemp(join(tmpdir(), 'finks-worker-deploy-'));

    // The first revision, shaped as infrastructure registers the worker (no command: the image's
    // ENTRYPOINT runs finks-worker).
    const first = join(dir, 'first.json');
    await writeFile(
      first,
      JSON.stringify({
        family,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '512',
        memory: '1024',
        runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
        executionRoleArn: 'arn:aws:iam::123456789012:role/finks-test-pipelines-worker-execution',
        taskRoleArn: 'arn:aws:iam::123456789012:role/finks-test-pipelines-worker-task',
        containerDefinitions: [
          {
            name: 'worker',
            image:
              '123456789012.dkr.ecr.ca-central-1.amazonaws.com/finks/test/pipelines/worker:worker-v1',
            essential: true,
            environment: [
              { name: 'FINKS_ENV', value: 'staging' },
              { name: 'PREFECT_API_URL', value: 'http://prefect.internal:4200/api' },
            ],
            secrets: [{ name: 'PREFECT_API_AUTH_STRING', valueFrom: 'arn:prefect-auth' }],
          },
        ],
      }),
    );
    const firstArn = (
      (await aws('ecs', 'register-task-definition', '--cli-input-json', `file://${first}`)) as {
        taskDefinition: { taskDefinitionArn: string };
      }
    ).taskDefinition.taskDefinitionArn;
    await aws('ecs', 'create-cluster', '--cluster-name', cluster);
    await aws(
      'ecs',
      'create-service',
      '--cluster',
      cluster,
      '--service-name',
      service,
      '--task-definition',
      firstArn,
      '--desired-count',
      '1',
    );

    // The same pipe deploy.sh runs.
    const image = `123456789012.dkr.ecr.ca-central-1.amazonaws.com/finks/test/pipelines/worker:worker-abc1234`;
    const next = join(dir, 'next.json');
    await run(
      'bash',
      [
        '-c',
        'set -euo pipefail; aws ecs describe-task-definition --task-definition "$1" --output json | npx tsx "$2" worker "$3" > "$4"',
        'pipe',
        family,
        NEXT_TASK_REVISION,
        image,
        next,
      ],
      { env: awsEnv, cwd: ROOT },
    );
    expect(JSON.parse(await readFile(next, 'utf8'))).not.toHaveProperty('revision');
    const registered = (await aws(
      'ecs',
      'register-task-definition',
      '--cli-input-json',
      `file://${next}`,
    )) as {
      taskDefinition: Record<string, unknown> & {
        taskDefinitionArn: string;
        containerDefinitions: Record<string, unknown>[];
      };
    };
    const definition = registered.taskDefinition;
    expect(definition['revision']).toBe(2);
    expect(definition['taskRoleArn']).toBe(
      'arn:aws:iam::123456789012:role/finks-test-pipelines-worker-task',
    );
    expect(definition.containerDefinitions[0]).toMatchObject({
      name: 'worker',
      image,
      secrets: [{ name: 'PREFECT_API_AUTH_STRING', valueFrom: 'arn:prefect-auth' }],
    });
    expect(definition.containerDefinitions[0]?.['environment']).toContainEqual({
      name: 'FINKS_ENV',
      value: 'staging',
    });

    await aws(
      'ecs',
      'update-service',
      '--cluster',
      cluster,
      '--service',
      service,
      '--task-definition',
      definition.taskDefinitionArn,
      '--force-new-deployment',
    );
    // The query deploy.sh uses to tell a rolled-back service from one on the new revision.
    const running = (
      await run(
        'aws',
        [
          'ecs',
          'describe-services',
          '--cluster',
          cluster,
          '--services',
          service,
          '--query',
          'services[0].taskDefinition',
          '--output',
          'text',
        ],
        { env: awsEnv },
      )
    ).stdout.trim();
    expect(running).toBe(definition.taskDefinitionArn);
  });
});

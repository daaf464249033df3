import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { motoEndpoint } from '@finks/dev-services';
import { nextTaskRevision, type DescribedTaskDefinition } from '@finks/ecs-deploy';
import { describe, expect, it } from 'vitest';
import { deployTargets } from '../src/deploy/connectors';
import { APP_ROOT } from './helpers';

const run = promisify(execFile);

function deploy(env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn('bash', [join(APP_ROOT, 'deploy.sh'), 'staging'], {
      env: { PATH: process.env['PATH'], HOME: tmpdir(), ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const MOTO_CREDENTIALS = {
  AWS_ENDPOINT_URL: motoEndpoint(),
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'ca-central-1',
};

describe('deploy.sh fails fast on what the machine lacks', () => {
  it('names missing AWS credentials before building anything', async () => {
    const result = await deploy({
      AWS_REGION: 'ca-central-1',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deploy ingestion: no usable AWS credentials');
    expect(result.stderr).toContain('configure credentials for the staging account');
    expect(result.stderr).not.toContain('building');
  });

  it('names an unreachable Docker daemon (credentials present)', async () => {
    const result = await deploy({
      ...MOTO_CREDENTIALS,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deploy ingestion: the Docker daemon is not reachable');
    expect(result.stderr).toContain('start Docker');
    expect(result.stderr).not.toContain('building');
  });

  it('names the environments it accepts', async () => {
    const child = await run('bash', [join(APP_ROOT, 'deploy.sh'), 'local']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(child).toMatchObject({ code: 1 });
    expect((child as { stderr: string }).stderr).toContain('use dev, staging or prod');
  });
});

describe('deploy targets and task revisions', () => {
  it('uses the iam-names repository and task families, tagged with the commit', () => {
    const targets = deployTargets('staging', 'abc1234def');
    expect(targets.map((target) => [target.repository, target.tag, target.family])).toEqual([
      ['finks/staging/ingestion/connectors', 'fmp-abc1234def', 'finks-staging-ingestion-fmp'],
      [
        'finks/staging/ingestion/connectors',
        'mongodb-abc1234def',
        'finks-staging-ingestion-mongodb',
      ],
      [
        'finks/staging/ingestion/connectors',
        'news-stream-abc1234def',
        'finks-staging-ingestion-news-stream',
      ],
    ]);
    expect(() => deployTargets('staging', 'main')).toThrow(/not a git commit SHA/);
  });

  it('registers the next revision in (moto) ECS with the new image and the same roles', async () => {
    const family = `finks-test-ingestion-fmp-${Date.now().toString(36)}`;
    const aws = async (...args: string[]) =>
      JSON.parse(
        (
          await run('aws', [...args, '--output', 'json'], {
            env: { ...process.env, ...MOTO_CREDENTIALS, AWS_DEFAULT_REGION: 'ca-central-1' },
          })
        ).stdout,
      ) as Record<string, unknown>;
    // The first revision, shaped as infrastructure registers it.
    const dir = await mkdtemp(join(tmpdir(), 'finks-deploy-'));
    const first = join(dir, 'first.json');
    await writeFile(
      first,
      JSON.stringify({
        family,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '512',
        memory: '1024',
        executionRoleArn: 'arn:aws:iam::123456789012:role/finks-test-ingestion-fmp-execution',
        taskRoleArn: 'arn:aws:iam::123456789012:role/finks-test-ingestion-fmp-task',
        containerDefinitions: [
          {
            name: 'fmp',
            image: 'old/image:bootstrap',
            command: ['node', 'dist/main.js', 'run', 'fmp'],
            essential: true,
            environment: [{ name: 'FINKS_ENV', value: 'staging' }],
          },
        ],
      }),
    );
    await aws('ecs', 'register-task-definition', '--cli-input-json', `file://${first}`);
    const described = (await aws(
      'ecs',
      'describe-task-definition',
      '--task-definition',
      family,
    )) as unknown as DescribedTaskDefinition;
    const next = join(dir, 'next.json');
    const image =
      '123456789012.dkr.ecr.ca-central-1.amazonaws.com/finks/staging/ingestion/connectors:fmp-abc1234';
    await writeFile(next, JSON.stringify(nextTaskRevision(described, 'fmp', image)));
    const registered = (await aws(
      'ecs',
      'register-task-definition',
      '--cli-input-json',
      `file://${next}`,
    )) as {
      taskDefinition: Record<string, unknown> & { containerDefinitions: Record<string, unknown>[] };
    };
    const definition = registered.taskDefinition;
    expect(definition['revision']).toBe(2);
    expect(definition['taskRoleArn']).toBe(described.taskDefinition['taskRoleArn']);
    expect(definition['cpu']).toBe('512');
    expect(definition.containerDefinitions[0]).toMatchObject({ name: 'fmp', image });
    expect(definition.containerDefinitions[0]?.['environment']).toEqual([
      { name: 'FINKS_ENV', value: 'staging' },
    ]);
    // The image's ENTRYPOINT names the connector; a leftover command would become stray args.
    expect(definition.containerDefinitions[0]?.['command']).toBeUndefined();
    expect(() => nextTaskRevision(described, 'news-stream', image)).toThrow(
      /has no container "news-stream".*deploy infrastructure/,
    );
  });
});

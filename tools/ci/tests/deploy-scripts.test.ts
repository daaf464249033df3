// The deploy scripts' failure paths, run under bash with stub `aws`, `docker`, `git` and `npx`
// first on PATH: a failed registration must fail the deploy, never report success with an empty
// ARN, and ingestion must push every image before it registers any revision.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from './tools.ts';
import { workspaceRoot } from './synthetic-workspace.ts';

let stubs: string;
let log: string;

beforeEach(async () => {
  stubs = await mkdtemp(join(tmpdir(), 'finks-deploy-stubs-'));
  log = join(stubs, 'calls.log');
  await writeFile(log, '');
});
afterEach(async () => {
  await rm(stubs, { recursive: true, force: true });
});

/** Writes an executable stub that logs its arguments, then runs `body`. */
async function stub(name: string, body: string): Promise<void> {
  const file = join(stubs, name);
  await writeFile(file, `#!/usr/bin/env bash\necho "${name} $*" >>"${log}"\n${body}\n`);
  await chmod(file, 0o755);
}

/** An aws CLI whose register-task-definition answers with `register` (a bash snippet). */
async function stubAws(register: string): Promise<void> {
  await stub(
    'aws',
    `case "$1 $2" in
  "sts get-caller-identity") echo 123456789012 ;;
  "ecr get-login-password") echo token ;;
  "ecs describe-task-definition") echo '{"taskDefinition":{}}' ;;
  "ecs register-task-definition") ${register} ;;
  *) echo "unexpected aws $*" >&2; exit 99 ;;
esac`,
  );
}

const withStubs = (extra: Record<string, string> = {}) => ({
  env: { PATH: `${stubs}:${process.env['PATH'] ?? ''}`, AWS_REGION: 'ca-central-1', ...extra },
});

/** Calls register_revision as the apps' deploy.sh do, with `set -e` and the capture in $(…). */
const callRegisterRevision = () =>
  runCommand(
    'bash',
    [
      '-c',
      `set -euo pipefail
fail() { printf 'deploy test: %s\\n' "$*" >&2; exit 1; }
step() { printf 'deploy test: %s\\n' "$*" >&2; }
source tools/deploy/image-steps.sh
region=ca-central-1 env=staging
arn="$(register_revision finks-staging-dbt-runner-dbt dbt registry/dbt:dbt-abc)"
echo "deployed ARN=[$arn]"`,
    ],
    withStubs(),
  );

describe('register_revision (tools/deploy/image-steps.sh)', () => {
  beforeEach(async () => {
    // next-task-revision reads the described family on stdin and prints the next revision.
    await stub('npx', 'cat');
  });

  it('fails the deploy with a message when aws ecs register-task-definition fails', async () => {
    await stubAws('echo "AccessDeniedException: not authorized" >&2; exit 254');
    const result = await callRegisterRevision();
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).not.toContain('deployed ARN');
    expect(result.output).toMatch(/registering the next revision of finks-staging-dbt-runner-dbt/);
  });

  it('fails when register-task-definition answers without an ARN', async () => {
    await stubAws('echo None');
    const result = await callRegisterRevision();
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(/returned no task definition ARN/);
  });

  it('prints the new ARN when the registration succeeds', async () => {
    await stubAws('echo arn:aws:ecs:ca-central-1:123456789012:task-definition/fam:7');
    const result = await callRegisterRevision();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(
      'deployed ARN=[arn:aws:ecs:ca-central-1:123456789012:task-definition/fam:7]',
    );
  });
});

describe('apps/ingestion/deploy.sh', () => {
  const connectors = ['fmp', 'mongodb', 'news-stream'];

  beforeEach(async () => {
    // targets: connector, Dockerfile, repository, tag, family, container (tab-separated).
    const targets = connectors
      .map((c) =>
        [c, `apps/ingestion/docker/${c}.Dockerfile`, 'finks/staging/connectors', `${c}-abc`]
          .concat([`finks-staging-ingestion-${c}`, c])
          .join('\\t'),
      )
      .join('\\n');
    await stub(
      'npx',
      `case "$*" in
  *"targets staging"*) printf '${targets}\\n' ;;
  *next-task-revision*) cat ;;
  *) echo "unexpected npx $*" >&2; exit 99 ;;
esac`,
    );
    // A clean tree at a fixed commit, whatever the real working tree holds.
    await stub('git', 'case "$1" in rev-parse) echo abc ;; status) ;; esac');
  });

  const deploy = () =>
    runCommand('bash', [join(workspaceRoot, 'apps/ingestion/deploy.sh'), 'staging'], withStubs());
  const calls = async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  // `docker login` reads the password from aws through a pipe: read it all, or aws may die of
  // SIGPIPE and fail the deploy under pipefail before the step the test is about.
  const stubDocker = (body: string) =>
    stub('docker', `[ "$1" = login ] && cat >/dev/null\n${body}`);

  it('pushes every connector image before registering any revision', async () => {
    await stubDocker('exit 0');
    await stubAws('echo arn:aws:ecs:ca-central-1:123456789012:task-definition/fam:2');
    const result = await deploy();
    expect(result.code, result.output).toBe(0);
    const order = await calls();
    const pushes = order.flatMap((c, i) => (c.startsWith('docker push') ? [i] : []));
    const registers = order.flatMap((c, i) =>
      c.startsWith('aws ecs register-task-definition') ? [i] : [],
    );
    expect(pushes).toHaveLength(connectors.length);
    expect(registers).toHaveLength(connectors.length);
    expect(Math.max(...pushes)).toBeLessThan(Math.min(...registers));
  });

  it('registers nothing when a push fails', async () => {
    await stubDocker('[ "$1" = push ] && [[ "$2" == *mongodb* ]] && exit 1; exit 0');
    await stubAws('echo arn:aws:ecs:ca-central-1:123456789012:task-definition/fam:2');
    const result = await deploy();
    expect(result.code, result.output).not.toBe(0);
    expect((await calls()).filter((c) => c.includes('register-task-definition'))).toEqual([]);
  });

  it('fails, naming the family, when a registration fails', async () => {
    await stubDocker('exit 0');
    await stubAws('exit 254');
    const result = await deploy();
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(/no new revision of finks-staging-ingestion-fmp/);
    expect(result.output).not.toContain('done: staging runs');
  });
});

describe('apps/pipelines/deploy.sh', () => {
  const arn = 'arn:aws:ecs:ca-central-1:123456789012:task-definition/worker:9';

  beforeEach(async () => {
    await stub(
      'npx',
      `case "$*" in
  *iam-names*) printf 'finks/staging/pipelines/worker\\tworker-family\\tworker-service\\tcluster\\n' ;;
  *loadConfig*) echo finks/staging/slack-webhook ;;
  *next-task-revision*) cat ;;
  *"src/main.ts deploy"*) echo "prefect deploy with webhook [\${FINKS_SLACK_WEBHOOK_URL:-}]" ;;
  *) echo "unexpected npx $*" >&2; exit 99 ;;
esac`,
    );
    await stub('git', 'case "$1" in rev-parse) echo abc ;; status) ;; esac');
    await stub('docker', '[ "$1" = login ] && cat >/dev/null; exit 0');
    await stub(
      'aws',
      `case "$1 $2" in
  "sts get-caller-identity") echo 123456789012 ;;
  "ecr get-login-password") echo token ;;
  "ecs describe-task-definition") echo '{"taskDefinition":{}}' ;;
  "ecs register-task-definition") echo ${arn} ;;
  "ecs update-service" | "ecs wait") ;;
  "ecs describe-services") echo ${arn} ;;
  "secretsmanager get-secret-value") echo "AccessDeniedException" >&2; exit 254 ;;
  *) echo "unexpected aws $*" >&2; exit 99 ;;
esac`,
    );
  });

  const deploy = (env: Record<string, string>) =>
    runCommand(
      'bash',
      [join(workspaceRoot, 'apps/pipelines/deploy.sh'), 'staging'],
      withStubs({ PREFECT_API_URL: 'http://prefect.invalid/api', ...env }),
    );

  it('fails, naming FINKS_SLACK_WEBHOOK_URL, when the role cannot read the secret', async () => {
    const result = await deploy({ FINKS_SLACK_WEBHOOK_URL: '' });
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(/cannot read the Slack webhook.*set FINKS_SLACK_WEBHOOK_URL/);
    expect(result.output).not.toContain('prefect deploy');
  });

  it('uses FINKS_SLACK_WEBHOOK_URL as CI passes it, without Secrets Manager', async () => {
    const result = await deploy({ FINKS_SLACK_WEBHOOK_URL: 'https://hooks.invalid/x' });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('prefect deploy with webhook [https://hooks.invalid/x]');
  });
});

describe('tools/ci/run-target.sh', () => {
  const runTarget = () =>
    runCommand('bash', [join(workspaceRoot, 'tools/ci/run-target.sh'), 'pipelines', 'validate'], {
      env: { PATH: `${stubs}:${process.env['PATH'] ?? ''}`, GITHUB_ACTIONS: '' },
    });

  it('skips, with exit 0, a project that has no such target', async () => {
    await stub('npx', `echo '{"name":"pipelines","targets":{"lint":{}}}'`);
    const result = await runTarget();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('pipelines has no `validate` target yet; skipped');
  });

  it('runs the target when the project has it', async () => {
    await stub(
      'npx',
      `[ "$2" = show ] && { echo '{"targets":{"validate":{}}}'; exit 0; }; echo "ran $*"`,
    );
    const result = await runTarget();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('ran nx run pipelines:validate --excludeTaskDependencies');
  });

  it('fails when nx cannot describe the project', async () => {
    await stub('npx', `echo "Cannot find project 'pipelines'" >&2; exit 1`);
    const result = await runTarget();
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(/nx show project pipelines failed/);
    expect(result.output).not.toContain('skipped');
  });

  it('fails when nx prints something that is not a project description', async () => {
    await stub('npx', `echo "NX   Daemon crashed"`);
    const result = await runTarget();
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).not.toContain('skipped');
  });
});

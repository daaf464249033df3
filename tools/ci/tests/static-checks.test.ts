// The static checks bite: each runs the same script CI runs, once on the repository (must pass)
// and once on something planted to fail (must fail, for the right reason).
import { randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { workspaceRoot } from './synthetic-workspace.ts';
import { runCommand, script } from './tools.ts';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'finks-ci-static-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/**
 * A fresh fake AWS access key id, made at run time so no key-shaped string is ever committed
 * (the repository's own scan would rightly flag it): AKIA + 16 base32 characters.
 */
function fakeAwsAccessKeyId(): string {
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${Array.from({ length: 16 }, () => base32[randomInt(32)]).join('')}`;
}

async function gitRepo(name: string): Promise<(args: string[]) => Promise<void>> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  const git = async (args: string[]) => {
    const { code, output } = await runCommand('git', args, {
      cwd: dir,
      env: {
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.invalid',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.invalid',
      },
    });
    if (code !== 0) throw new Error(`git ${args.join(' ')}: ${output}`);
  };
  await git(['init', '--quiet']);
  return git;
}

describe('actionlint', () => {
  it('passes the repository workflows', async () => {
    const result = await runCommand('bash', [script('static-checks.sh'), 'actionlint']);
    expect(result.code, result.output).toBe(0);
  });

  it('catches an unknown job in needs and an injectable PR title', async () => {
    const file = join(scratch, 'broken-workflow.yml');
    await writeFile(
      file,
      [
        'on: pull_request',
        'jobs:',
        '  greet:',
        '    needs: [nowhere]',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        '      - run: echo "${{ github.event.pull_request.title }}"',
        '',
      ].join('\n'),
    );
    const result = await runCommand('actionlint', ['-no-color', file]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/needs job "nowhere"/);
    expect(result.output).toMatch(/potentially untrusted/);
  });
});

describe('config schemas', () => {
  it('validates docker-compose.yml, dependabot.yml and the workflows', async () => {
    const result = await runCommand('bash', [script('static-checks.sh'), 'config-schemas']);
    expect(result.code, result.output).toBe(0);
  });

  it('rejects a compose file that breaks the Compose spec', async () => {
    const file = join(scratch, 'docker-compose.yml');
    await writeFile(
      file,
      'services:\n  moto:\n    image: motoserver/moto:5.2.5\n    ports: 5000\n',
    );
    const result = await runCommand('check-jsonschema', [
      '--builtin-schema',
      'vendor.compose-spec',
      file,
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/ports/);
  });
});

describe('secret scan', () => {
  it('finds nothing in the repository (history and working tree)', async () => {
    const result = await runCommand('bash', [script('static-checks.sh'), 'secret-scan']);
    expect(result.output).toMatch(/no leaks found/);
    expect(result.code, result.output).toBe(0);
  });

  it('catches a planted fake AWS key, committed or only staged', async () => {
    const git = await gitRepo('planted-key');
    const dir = join(scratch, 'planted-key');
    await writeFile(join(dir, 'README.md'), '# clean\n');
    await git(['add', '-A']);
    await git(['commit', '--quiet', '-m', 'clean']);
    const staged = await runCommand('bash', [script('static-checks.sh'), 'secret-scan-staged'], {
      env: { SCAN_DIR: dir },
    });
    expect(staged.code, staged.output).toBe(0);

    const key = fakeAwsAccessKeyId();
    await mkdir(join(dir, 'apps/ingestion/src'), { recursive: true });
    await writeFile(
      join(dir, 'apps/ingestion/src/settings.ts'),
      `export const awsAccessKeyId = '${key}';\n`,
    );
    await git(['add', '-A']);
    const hook = await runCommand('bash', [script('static-checks.sh'), 'secret-scan-staged'], {
      env: { SCAN_DIR: dir },
    });
    expect(hook.code).toBe(1);
    expect(hook.output).toMatch(/RuleID:\s+aws-access-token/);
    expect(hook.output).not.toContain(key); // --redact: the report never repeats the secret

    await git(['commit', '--quiet', '-m', 'oops']);
    const full = await runCommand('bash', [script('static-checks.sh'), 'secret-scan'], {
      env: { SCAN_DIR: dir },
    });
    expect(full.code).toBe(1);
    expect(full.output).toMatch(/RuleID:\s+aws-access-token/);
    expect(full.output).toMatch(/File:\s+apps\/ingestion\/src\/settings\.ts/);
  });
});

describe('Dockerfile lint', () => {
  it('passes the repository Dockerfiles', async () => {
    const result = await runCommand('bash', [script('lint-dockerfiles.sh')]);
    expect(result.code, result.output).toBe(0);
  });

  it('fails an unpinned base image that runs as root', async () => {
    const file = join(scratch, 'Dockerfile.bad');
    await writeFile(file, 'FROM python:latest\nRUN pip install dbt-core\nCMD ["dbt", "run"]\n');
    const result = await runCommand('bash', [script('lint-dockerfiles.sh'), file]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/DL3007/);
    expect(result.output).toMatch(/DL3013/);
    expect(result.output).toMatch(/must switch to a non-root USER/);
  });

  it('passes a pinned multi-stage image whose final stage is non-root', async () => {
    const file = join(scratch, 'Dockerfile.good');
    await writeFile(
      file,
      [
        'FROM python:3.12.8-slim-bookworm AS build',
        'WORKDIR /app',
        'COPY requirements.lock .',
        'RUN pip install --no-cache-dir --require-hashes -r requirements.lock --target /deps',
        '',
        'FROM python:3.12.8-slim-bookworm',
        'WORKDIR /app',
        'COPY --from=build /deps /deps',
        'COPY src/ ./src/',
        'ENV PYTHONPATH=/deps',
        'USER 10001:10001',
        'ENTRYPOINT ["python", "-m", "src.main"]',
        '',
      ].join('\n'),
    );
    const result = await runCommand('bash', [script('lint-dockerfiles.sh'), file]);
    expect(result.code, result.output).toBe(0);
  });
});

describe('pre-commit hooks', () => {
  it('have a valid config whose local hook scripts exist', async () => {
    const file = join(workspaceRoot, '.pre-commit-config.yaml');
    const result = await runCommand('pre-commit', ['validate-config', file]);
    expect(result.code, result.output).toBe(0);
    const config = parse(await readFile(file, 'utf8')) as {
      repos: { repo: string; hooks: { id: string; entry: string }[] }[];
    };
    const hooks = config.repos.flatMap((r) => r.hooks);
    expect(config.repos.every((r) => r.repo === 'local')).toBe(true);
    expect(hooks.map((h) => h.id)).toEqual(
      expect.arrayContaining(['prettier', 'eslint', 'gitleaks']),
    );
    for (const hook of hooks) {
      const scriptPath = hook.entry.match(/^bash (\S+)/)?.[1];
      if (scriptPath) await expect(readFile(join(workspaceRoot, scriptPath))).resolves.toBeTruthy();
    }
  });
});

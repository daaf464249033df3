// A throw-away git repository shaped like this workspace: the real nx.json, root package.json,
// tsconfig.base.json and every project's project.json/package.json, plus small fixture sources.
// Tests commit changes to it and ask the real Nx what they affect, so the plan is proven against
// Nx's own affected logic, not a model of it.
//
// Nx here reads project-to-project edges from package.json dependencies (nx.json has no
// `@nx/js` analyzeSourceFiles), so a fixture app "imports" a lib by listing it there, as the
// workspace's own iam-names → lake-paths edge does; the source import is written too.
import { execFile } from 'node:child_process';
import {
  cp,
  glob,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

/** Which shared libs each fixture app imports. */
export const fixtureImports: Readonly<Record<string, readonly string[]>> = {
  infrastructure: ['config', 'iam-names'],
  pipelines: ['config'],
  'dbt-runner': ['lake-paths'],
  ingestion: ['lake-paths', 'config'],
};

export interface SyntheticWorkspace {
  readonly root: string;
  readonly baseSha: string;
  /** Starts a branch at the base commit, writes the files, commits; returns the new commit. */
  commitOnBase(branch: string, files: Readonly<Record<string, string>>): Promise<string>;
  git(args: readonly string[]): Promise<string>;
  dispose(): Promise<void>;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

/** node_modules: the workspace's packages, except @finks/* which point at the copy's projects. */
async function linkNodeModules(root: string, packageRoots: ReadonlyMap<string, string>) {
  const modules = join(root, 'node_modules');
  await mkdir(join(modules, '@finks'), { recursive: true });
  for (const entry of await readdir(join(workspaceRoot, 'node_modules'))) {
    if (entry === '@finks') continue;
    await symlink(join(workspaceRoot, 'node_modules', entry), join(modules, entry));
  }
  for (const [name, projectRoot] of packageRoots) {
    const link = join(modules, name);
    await symlink(relative(dirname(link), join(root, projectRoot)), link);
  }
}

export async function createSyntheticWorkspace(): Promise<SyntheticWorkspace> {
  const root = await mkdtemp(join(tmpdir(), 'finks-ci-history-'));
  const git = async (args: readonly string[]) =>
    (
      await run('git', [...args], {
        cwd: root,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'ci test',
          GIT_AUTHOR_EMAIL: 'ci@example.invalid',
          GIT_COMMITTER_NAME: 'ci test',
          GIT_COMMITTER_EMAIL: 'ci@example.invalid',
        },
      })
    ).stdout.trim();

  for (const file of ['nx.json', 'package.json', 'tsconfig.base.json']) {
    await cp(join(workspaceRoot, file), join(root, file));
  }
  const packageRoots = new Map<string, string>();
  for await (const projectJson of glob('{apps,libs,tools}/*/project.json', {
    cwd: workspaceRoot,
  })) {
    const projectRoot = dirname(projectJson);
    await mkdir(join(root, projectRoot), { recursive: true });
    await cp(join(workspaceRoot, projectJson), join(root, projectJson));
    const pkg: Record<string, unknown> = await readJson(
      join(workspaceRoot, projectRoot, 'package.json'),
    ).catch(() => ({ name: `@finks/${projectRoot.split('/')[1]}` }));
    const app = projectRoot.startsWith('apps/') ? projectRoot.slice(5) : undefined;
    if (app !== undefined) {
      // Replace the app's workspace edges with the fixture's, keep its external packages.
      const libs = fixtureImports[app] ?? [];
      const external = Object.entries((pkg['dependencies'] ?? {}) as Record<string, string>).filter(
        ([name]) => !name.startsWith('@finks/'),
      );
      pkg['dependencies'] = Object.fromEntries([
        ...external,
        ...libs.map((lib) => [`@finks/${lib}`, '*']),
      ]);
      const imports = libs.map((lib, i) => `import * as lib${i} from '@finks/${lib}';`);
      await mkdir(join(root, projectRoot, 'src'), { recursive: true });
      await writeFile(
        join(root, projectRoot, 'src/main.ts'),
        `${imports.join('\n')}\nexport const uses = [${libs.map((_, i) => `lib${i}`).join(', ')}];\n`,
      );
    } else {
      await mkdir(join(root, projectRoot, 'src'), { recursive: true });
      await writeFile(join(root, projectRoot, 'src/index.ts'), 'export const version = 1;\n');
    }
    await writeFile(join(root, projectRoot, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    packageRoots.set(String(pkg['name']), projectRoot);
  }
  await mkdir(join(root, 'apps/dbt-runner/dbt/models/staging'), { recursive: true });
  await writeFile(
    join(root, 'apps/dbt-runner/dbt/models/staging/stg_fmp__quotes.sql'),
    'select * from {{ source("fmp", "quotes") }}\n',
  );
  await mkdir(join(root, 'docs'), { recursive: true });
  await writeFile(join(root, 'README.md'), '# Finks\n');
  await writeFile(join(root, 'docs/architecture.md'), '# Architecture\n');
  await writeFile(join(root, '.gitignore'), 'node_modules\n.nx\n');
  await linkNodeModules(root, packageRoots);

  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['add', '-A']);
  await git(['commit', '--quiet', '-m', 'base']);
  const baseSha = await git(['rev-parse', 'HEAD']);

  return {
    root,
    baseSha,
    git,
    async commitOnBase(branch, files) {
      await git(['checkout', '--quiet', '-b', branch, baseSha]);
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), content);
      }
      await git(['add', '-A']);
      await git(['commit', '--quiet', '-m', branch]);
      return git(['rev-parse', 'HEAD']);
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

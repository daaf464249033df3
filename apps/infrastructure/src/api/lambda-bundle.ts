import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The handlers' TypeScript sources, next to this file. */
export const LAMBDA_SOURCE_DIR = fileURLToPath(new URL('./lambda', import.meta.url));

const RELATIVE_IMPORT = /(from\s+['"])(\.{1,2}\/[^'"]+?)(['"])/g;

/**
 * The Lambda code as ES modules: each handler source transpiled on its own (no bundler needed,
 * since the handlers import only each other and the AWS SDK that the Node.js runtime provides),
 * with relative imports given the `.mjs` extension Node requires.
 */
export function lambdaModules(dir: string = LAMBDA_SOURCE_DIR): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const source = readFileSync(join(dir, file), 'utf8');
    const output = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        sourceMap: false,
      },
    }).outputText;
    modules[file.replace(/\.ts$/, '.mjs')] = output.replace(
      RELATIVE_IMPORT,
      (_, open: string, path: string, close: string) => `${open}${path}.mjs${close}`,
    );
  }
  if (!('handler.mjs' in modules)) throw new Error(`no handler.ts in ${dir}`);
  return modules;
}

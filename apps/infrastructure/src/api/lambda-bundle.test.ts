import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaModules } from './lambda-bundle';

// Inside the workspace so the bundle's `@aws-sdk/client-athena` import resolves as it would
// from the Lambda runtime's own copy.
const OUT = fileURLToPath(new URL('../../tests/.lambda-bundle', import.meta.url));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('lambdaModules', () => {
  it('emits one ES module per handler source, tests left out, imports given .mjs', () => {
    const modules = lambdaModules();
    expect(Object.keys(modules)).toEqual([
      'athena-runner.mjs',
      'handler.mjs',
      'portfolio-queries.mjs',
      'query-runner.mjs',
    ]);
    expect(modules['handler.mjs']).toContain("from './athena-runner.mjs'");
    expect(modules['handler.mjs']).not.toMatch(/import type|: HttpEvent/);
  });

  it('runs as plain JavaScript: the summary handler answers a bad request', async () => {
    mkdirSync(OUT, { recursive: true });
    for (const [file, text] of Object.entries(lambdaModules()))
      writeFileSync(join(OUT, file), text);
    process.env['ATHENA_WORKGROUP'] = 'wg';
    process.env['GOLD_DATABASE'] = 'finks_dev_gold';
    const handler = (await import(pathToFileURL(join(OUT, 'handler.mjs')).href)) as {
      summary: (event: object) => Promise<{ statusCode: number; body: string }>;
    };
    const response = await handler.summary({ pathParameters: { id: "1' OR 1=1" } });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ parameter: 'id' });
  });
});

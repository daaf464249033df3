#!/usr/bin/env node
// finks-worker --pool <name>: the worker CLI (libs/prefect/src/worker/cli.ts), run through tsx
// because this lib ships TypeScript sources only.
import { register } from 'tsx/esm/api';

register();
await import('../src/worker/cli.ts');

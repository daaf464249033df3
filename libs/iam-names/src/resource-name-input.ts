import type { Env } from '@finks/lake-paths';
import { assertApp, type App } from './app';
import { assertEnv, assertKebab } from './inputs';

/** Who owns a resource and what it is for: `{ app: 'pipelines', env: 'prod', component: 'glue-job' }`. */
export interface ResourceNameInput {
  readonly app: App;
  readonly env: Env;
  /** Kebab-case words naming the resource within its app, e.g. `bronze-to-silver`. */
  readonly component: string;
}

/** Checks every part, since apps and envs often arrive as strings from config or CLI flags. */
export function checkResourceInput(input: ResourceNameInput): ResourceNameInput {
  return {
    app: assertApp(input.app),
    env: assertEnv(input.env),
    component: assertKebab(input.component, 'component'),
  };
}

/** `finks-<env>-<app>-<component>`, the shape of every flat (non-hierarchical) name. */
export function flatName(input: ResourceNameInput): string {
  const { app, env, component } = checkResourceInput(input);
  return `finks-${env}-${app}-${component}`;
}

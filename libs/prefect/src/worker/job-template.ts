/** The work pool type of pools served by `finks-worker`. Any string is allowed by the server. */
export const FINKS_WORKER_TYPE = 'finks-node';

/**
 * The pool's base job template: what a deployment (`job_variables`) or a single flow run may
 * set, and how it maps onto the child process the worker starts. Variables:
 *
 * - `env` — extra environment variables for the flow's process (object of strings).
 * - `working_dir` — directory the deployment's entrypoint path is relative to; default: the
 *   deployment's `path`, else the worker's own working directory.
 * - `node_args` — extra Node.js arguments, e.g. `["--max-old-space-size=4096"]`.
 * - `termination_grace_seconds` — on cancellation or shutdown, SIGTERM then SIGKILL after this.
 *
 * The worker always adds PREFECT_API_URL, PREFECT_API_AUTH_STRING (when set) and
 * PREFECT__FLOW_RUN_ID, and runs `node --import tsx <flow-run-entry> <entrypoint>`.
 */
export function finksBaseJobTemplate(): FinksBaseJobTemplate {
  return {
    job_configuration: {
      env: '{{ env }}',
      working_dir: '{{ working_dir }}',
      node_args: '{{ node_args }}',
      termination_grace_seconds: '{{ termination_grace_seconds }}',
    },
    variables: {
      type: 'object',
      properties: {
        env: {
          title: 'Environment variables',
          description: "Extra environment variables for the flow run's process.",
          type: 'object',
          additionalProperties: { type: 'string' },
          default: {},
        },
        working_dir: {
          title: 'Working directory',
          description:
            "Directory the deployment's entrypoint is relative to (default: the deployment's path, else the worker's directory).",
          type: 'string',
        },
        node_args: {
          title: 'Node.js arguments',
          description: 'Extra arguments for node, e.g. --max-old-space-size=4096.',
          type: 'array',
          items: { type: 'string' },
          default: [],
        },
        termination_grace_seconds: {
          title: 'Termination grace period (seconds)',
          description: 'Time between SIGTERM and SIGKILL when a flow run is cancelled or stopped.',
          type: 'number',
          minimum: 0,
          default: 10,
        },
      },
    },
  };
}

export interface FinksBaseJobTemplate {
  job_configuration: Record<string, unknown>;
  variables: {
    type: 'object';
    properties: Record<string, { default?: unknown } & Record<string, unknown>>;
    required?: string[];
  };
}

export interface FinksJobConfiguration {
  readonly env: Record<string, string>;
  readonly workingDir: string | undefined;
  readonly nodeArgs: readonly string[];
  readonly terminationGraceSeconds: number;
}

const WHOLE_PLACEHOLDER = /^\{\{\s*([\w.-]+)\s*\}\}$/;
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * Fills a job configuration's `{{ placeholders }}` the way Prefect does: a value that is only a
 * placeholder takes the variable's value whatever its type (and disappears when unset); a
 * placeholder inside a longer string is replaced by the value's text.
 */
export function fillPlaceholders(
  template: unknown,
  variables: Readonly<Record<string, unknown>>,
): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(template);
    if (whole) return variables[whole[1] as string];
    return template.replace(PLACEHOLDER, (_, name: string) => {
      const value = variables[name];
      if (value === undefined || value === null) return '';
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
  if (Array.isArray(template)) return template.map((item) => fillPlaceholders(item, variables));
  if (typeof template === 'object' && template !== null) {
    const filled: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const resolved = fillPlaceholders(value, variables);
      if (resolved !== undefined) filled[key] = resolved;
    }
    return filled;
  }
  return template;
}

/**
 * Variables in precedence order: the template's defaults, then the deployment's
 * `job_variables`, then the flow run's own `job_variables`.
 */
export function resolveJobConfiguration(
  baseJobTemplate: unknown,
  deploymentJobVariables: Readonly<Record<string, unknown>> | null | undefined,
  flowRunJobVariables: Readonly<Record<string, unknown>> | null | undefined,
): FinksJobConfiguration {
  const template = (baseJobTemplate ?? {}) as Partial<FinksBaseJobTemplate>;
  const defaults: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(template.variables?.properties ?? {})) {
    if (schema && 'default' in schema) defaults[name] = schema.default;
  }
  const variables = { ...defaults, ...deploymentJobVariables, ...flowRunJobVariables };
  const filled = fillPlaceholders(template.job_configuration ?? {}, variables) as Record<
    string,
    unknown
  >;
  const env: Record<string, string> = {};
  if (typeof filled['env'] === 'object' && filled['env'] !== null) {
    for (const [key, value] of Object.entries(filled['env'])) {
      if (value !== undefined && value !== null) env[key] = String(value);
    }
  }
  const workingDir = filled['working_dir'];
  const nodeArgs = filled['node_args'];
  const grace = Number(filled['termination_grace_seconds']);
  return {
    env,
    workingDir: typeof workingDir === 'string' && workingDir !== '' ? workingDir : undefined,
    nodeArgs: Array.isArray(nodeArgs) ? nodeArgs.map(String) : [],
    terminationGraceSeconds: Number.isFinite(grace) && grace >= 0 ? grace : 10,
  };
}

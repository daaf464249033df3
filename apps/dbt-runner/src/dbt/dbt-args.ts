import { stringify } from 'yaml';

export const DBT_COMMANDS = [
  'build',
  'run',
  'test',
  'snapshot',
  'docs',
  'compile',
  'source-freshness',
  'run-operation',
] as const;
export type DbtCommand = (typeof DBT_COMMANDS)[number];

export type DbtVars = Readonly<Record<string, unknown>>;

export interface DbtInvocation {
  readonly command: DbtCommand;
  readonly target: string;
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  readonly vars?: DbtVars;
  /** Folder holding the manifest.json that `state:` selectors and `--defer` compare against. */
  readonly state?: string;
  readonly defer?: boolean;
  readonly fullRefresh?: boolean;
  readonly threads?: number;
  /** Where dbt writes manifest.json, run_results.json, catalog.json (`--target-path`). */
  readonly targetPath?: string;
  /** `run-operation` only: the macro and its arguments. */
  readonly operation?: string;
  readonly operationArgs?: DbtVars;
}

const SUBCOMMAND: Record<DbtCommand, readonly string[]> = {
  build: ['build'],
  run: ['run'],
  test: ['test'],
  snapshot: ['snapshot'],
  docs: ['docs', 'generate'],
  compile: ['compile'],
  'source-freshness': ['source', 'freshness'],
  'run-operation': ['run-operation'],
};

const flowYaml = (value: DbtVars) =>
  stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();

/** dbt's argv for one invocation (without the binary). */
export function dbtArgs(invocation: DbtInvocation): string[] {
  const args = [...SUBCOMMAND[invocation.command]];
  if (invocation.command === 'run-operation') {
    args.push(invocation.operation ?? 'missing_operation');
    if (invocation.operationArgs) args.push('--args', flowYaml(invocation.operationArgs));
  }
  args.push('--target', invocation.target);
  if (invocation.select && invocation.select.length > 0) {
    args.push('--select', ...invocation.select);
  }
  if (invocation.exclude && invocation.exclude.length > 0) {
    args.push('--exclude', ...invocation.exclude);
  }
  if (invocation.vars && Object.keys(invocation.vars).length > 0) {
    // dbt parses --vars as YAML; flow style keeps it on one line.
    args.push('--vars', flowYaml(invocation.vars));
  }
  if (invocation.state) args.push('--state', invocation.state);
  if (invocation.defer) args.push('--defer');
  if (invocation.fullRefresh) args.push('--full-refresh');
  if (invocation.threads !== undefined) args.push('--threads', String(invocation.threads));
  if (invocation.targetPath) args.push('--target-path', invocation.targetPath);
  return args;
}

/**
 * `dbt parse` with what the parse of `invocation` depends on (target, vars, target path): the
 * parse a held run does ahead of time (held_dbt.py). Selection and state only matter to the run.
 */
export function dbtParseArgs(invocation: DbtInvocation): string[] {
  const args = ['parse', '--target', invocation.target];
  if (invocation.vars && Object.keys(invocation.vars).length > 0) {
    args.push('--vars', flowYaml(invocation.vars));
  }
  if (invocation.targetPath) args.push('--target-path', invocation.targetPath);
  return args;
}

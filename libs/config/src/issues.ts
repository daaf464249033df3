/** One problem in a config file, as data: callers can test `path` instead of parsing messages. */
export interface ConfigIssue {
  /** Where the problem is, from the document root: `['ecs', 'dbtRunner', 'memory']`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** 1-based line in the YAML file, when the field exists there. */
  readonly line?: number;
  readonly column?: number;
}

/** `ecs.dbtRunner.memory`, `alerts.emails[1]`; `(root)` for the document itself. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      return index === 0 ? part : `.${part}`;
    })
    .join('');
}

export function formatIssue(issue: ConfigIssue): string {
  // A YAML syntax error has a position but no field: lead with the position instead.
  if (issue.path.length === 0 && issue.line !== undefined) {
    const column = issue.column === undefined ? '' : `, column ${issue.column}`;
    return `line ${issue.line}${column}: ${issue.message}`;
  }
  const where = issue.line === undefined ? '' : ` (line ${issue.line})`;
  return `${formatPath(issue.path)}${where}: ${issue.message}`;
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `  - ${formatIssue(issue)}`).join('\n');
}

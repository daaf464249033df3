import { formatIssues, type ConfigIssue } from '../issues';
import { ConfigError } from './config-error';

/** The file is valid YAML but its content breaks the schema: every problem is listed. */
export class ConfigValidationError extends ConfigError {
  override readonly name = 'ConfigValidationError';
  readonly code = 'invalid_config' as const;

  constructor(file: string, issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`Invalid config ${file} (${count}):\n${formatIssues(issues)}`, { file, issues });
  }
}

import { formatIssues, type ConfigIssue } from '../issues';
import { ConfigError } from './config-error';

/** The file is not valid YAML (or holds duplicate keys), so no field could be checked. */
export class ConfigSyntaxError extends ConfigError {
  override readonly name = 'ConfigSyntaxError';
  readonly code = 'invalid_yaml' as const;

  constructor(file: string, issues: readonly ConfigIssue[]) {
    super(`Config ${file} is not valid YAML:\n${formatIssues(issues)}`, { file, issues });
  }
}

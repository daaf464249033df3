/** A Pulumi stack setting (Pulumi.<stack>.yaml or the program's inputs) that cannot be used. */
export class StackSettingsError extends Error {
  readonly code = 'invalid_stack_settings';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`stack setting ${field} ${problem}`);
    this.name = 'StackSettingsError';
  }
}

/**
 * A failure the person running the CLI can fix: printed as `daicho-plugin: <message>` (and each
 * problem on its own line), never as a stack trace.
 *
 * @example
 * throw new CliError('daicho-plugin.json is invalid', ['/id: must match the pattern …']);
 */
export class CliError extends Error {
  readonly problems: string[];
  readonly exitCode: number;

  constructor(message: string, problems: string[] = [], exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.problems = problems;
    this.exitCode = exitCode;
  }
}

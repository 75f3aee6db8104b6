/**
 * Errors the `capa` command reports as one line: a CliError is the user's to fix (bad argument,
 * missing folder) and carries its exit code; any other error is shown by its message, with the
 * stack only under --verbose.
 */

/** Exit codes: 1 for a failure, 2 for wrong usage (unknown option, missing argument). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A usage error: the command line itself is wrong. */
export function usageError(message: string, command?: string): CliError {
  const hint = command ? ` (see 'capa ${command} --help')` : " (see 'capa --help')";
  return new CliError(`${message}${hint}`, EXIT_USAGE);
}

/** The one line printed for an error: its message, first line only, without a trailing period doubling. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return `capa: error: ${firstLine.trim()}`;
}

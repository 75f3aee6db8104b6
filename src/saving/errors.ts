/**
 * The error every saving/loading failure raises: it names the file (and, where there is one, the
 * field or entry inside it) so a user can tell a corrupt download from a wrong path or a model
 * that does not match its weights.
 */
export class SavingError extends Error {
  /** The file (or `<memory>` for bytes) the failure is about. */
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SavingError';
    this.file = file;
  }
}

/** The message of anything thrown, for wrapping a lower-level failure into a SavingError. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

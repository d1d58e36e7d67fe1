/**
 * An error the user can act on: what went wrong, the exit code it means, and a hint (what
 * was or was not done, what to do). Both programs turn every error into an exit code in one
 * place (src/cli/report-error.ts); anything that is not a UserError is a failure, exit 1.
 */

/** 0 done; 1 a failure; 2 the input was refused (nothing written), or with --check: not up to date. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

export interface UserErrorOptions {
  /** Default: EXIT_BAD_INPUT. */
  exitCode?: number;
  /** A line printed after the error, e.g. "Nothing was written.". */
  hint?: string;
}

export class UserError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? EXIT_BAD_INPUT;
    this.hint = options.hint;
  }

  /** What the user reads, line by line. */
  lines(): string[] {
    return [`error: ${this.message}`, ...(this.hint ? [this.hint] : [])];
  }
}

/** The user cancelled (a prompt answered with Ctrl-C / Esc): nothing is written, exit 2. */
export class Cancelled extends UserError {
  constructor() {
    super('cancelled', { hint: 'Cancelled. Nothing was written.' });
  }

  override lines(): string[] {
    return [this.hint!];
  }
}

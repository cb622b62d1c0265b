/**
 * Errors are values with a kind and a human message; the CLI maps kinds to exit codes
 * (src/cli/exit-codes.ts). Throw MmError for anything a user can fix; anything else is a bug.
 */
export type ErrorKind =
  | 'usage' // bad flags or arguments
  | 'config' // the config file is missing a piece, malformed or invalid
  | 'input' // a file, ref or value the user pointed at is wrong
  | 'not_a_repo' // git work needed outside a git repository
  | 'unavailable'
  | 'timeout'
  | 'rate_limited'
  | 'truncated'
  | 'invalid_output'
  | 'auth'
  | 'budget'
  | 'model_not_found' // the provider says this model id does not exist (any more)
  | 'needs_confirmation'
  | 'failed';

export class MmError extends Error {
  readonly kind: ErrorKind;
  /** Extra lines printed under the message (e.g. every problem in a config file). */
  readonly details: string[];
  readonly hint?: string;

  /**
   * The fast bundle and the lazily loaded command bundles each carry their own copy of
   * this class (scripts/build.mjs), so `instanceof` checks the shape, not the copy.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'MmError' && typeof (value as { kind?: unknown }).kind === 'string';
  }

  constructor(kind: ErrorKind, message: string, opts: { details?: string[]; hint?: string } = {}) {
    super(message);
    this.name = 'MmError';
    this.kind = kind;
    this.details = opts.details ?? [];
    this.hint = opts.hint;
  }
}

export function isMmError(e: unknown): e is MmError {
  return e instanceof MmError;
}

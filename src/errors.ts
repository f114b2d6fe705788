/**
 * An error with a stable machine-readable `code`, so callers (HTTP, CLI, adapters) can map it to a
 * status or a user-facing message without parsing text.
 *
 * @example
 * throw new CodedError('case_not_found', `No case ${id}`);
 */
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

export function isCodedError(err: unknown, code?: string): err is CodedError {
  return err instanceof CodedError && (code === undefined || err.code === code);
}

/** The result of validating untrusted input: the value, or one readable line per problem. */
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Formats validation issues (zod's shape) as `path: message` lines. */
export function issueLines(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

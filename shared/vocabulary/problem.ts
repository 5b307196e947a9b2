/**
 * A refusal as problem+json describes it (RFC 9457), at the bottom of the layers (see
 * docs/ARCHITECTURE.md §2): stores and services say what went wrong in these terms, and shared/http
 * turns them into responses.
 */

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
  /** Defaults to a URN naming the status, e.g. urn:problem:validation. */
  readonly type?: string;
}

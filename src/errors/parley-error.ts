import { ERROR_KIND_STATUS, type ErrorKind } from './kinds.js';
import { ERRORS, type ErrorCode } from './registry.js';

export interface ErrorOptions {
  /** Overrides the registry's message with a more specific one (still saying what was wrong). */
  message?: string;
  /** The request field the error is about, as a JSON pointer-like path (`/to`, `/template/name`). */
  field?: string;
  /** Extra machine-readable facts for the caller. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type of Parley: a code from the registry, a kind, and what to do about it. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly status: number;
  readonly hint: string;
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, options: ErrorOptions = {}) {
    const spec = ERRORS[code];
    super(options.message ?? spec.message, { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.kind = spec.kind;
    this.status = ERROR_KIND_STATUS[spec.kind];
    this.hint = spec.hint;
    this.field = options.field;
    this.details = options.details;
  }

  toBody(requestId?: string) {
    return {
      error: {
        code: this.code,
        message: this.message,
        hint: this.hint,
        ...(this.field !== undefined ? { field: this.field } : {}),
        ...(this.details !== undefined ? { details: this.details } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
      },
    };
  }
}

export const isParleyError = (error: unknown): error is ParleyError => error instanceof ParleyError;

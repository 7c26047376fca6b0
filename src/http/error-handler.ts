import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../errors/parley-error.js';
import type { Metrics } from '../observability/metrics.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';

/** Seconds a client is asked to wait before retrying a 503 (a database restart or failover takes a few). */
export const RETRY_AFTER_SECONDS = 2;

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns one schema violation into a field path and a sentence that names the field. */
function describeValidation(error: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }): ParleyError {
  const issue = error.validation?.[0];
  const context = error.validationContext ?? 'body';
  if (!issue) return new ParleyError('REQUEST_INVALID', { message: error.message });
  let field = issue.instancePath || '';
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') field += `/${issue.params.missingProperty}`;
  if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') field += `/${issue.params.additionalProperty}`;
  const where = field ? `${context} field ${field}` : context;
  let what = issue.message ?? 'is invalid';
  if (issue.keyword === 'additionalProperties') what = 'is not a known field';
  if (issue.keyword === 'required') what = 'is required';
  if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) what = `must be one of ${issue.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return new ParleyError('REQUEST_INVALID', { message: `Invalid ${where}: ${what}.`, field: field || '/', details: { location: context } });
}

/** Maps any thrown error to Parley's error body. Only unexpected errors are 500, and those are logged. */
export function toParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const e = error as FastifyError & { validation?: ValidationIssue[] };
  if (e?.validation) return describeValidation(e);
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ParleyError('REQUEST_MALFORMED_JSON', { message: `The request body is not valid JSON: ${e.message}` });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ParleyError('REQUEST_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ParleyError('REQUEST_UNSUPPORTED_MEDIA_TYPE');
    case 'FST_CSRF_MISSING_SECRET':
    case 'FST_CSRF_INVALID_TOKEN':
      return new ParleyError('CSRF_TOKEN_INVALID');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ParleyError('REQUEST_INVALID', { message: 'The Content-Length header does not match the body.' });
  }
  // SQLite out of space where no storage monitor saw it first (the monitor maps it in the driver).
  if (e?.code === 'SQLITE_FULL') return new ParleyError('STORAGE_FULL', { cause: error });
  if (e instanceof SyntaxError) return new ParleyError('REQUEST_MALFORMED_JSON', { message: `The request body is not valid JSON: ${e.message}` });
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return new ParleyError('REQUEST_TOO_LARGE');
    if (e.statusCode === 415) return new ParleyError('REQUEST_UNSUPPORTED_MEDIA_TYPE');
    return new ParleyError('REQUEST_INVALID', { message: e.message });
  }
  if (isDatabaseUnavailable(error)) return new ParleyError('DATABASE_UNAVAILABLE', { cause: error });
  return new ParleyError('INTERNAL', { cause: error });
}

/** What a client is told to wait while the disk is full. */
const STORAGE_RETRY_AFTER_SECONDS = 30;

export function makeErrorHandler(metrics: Metrics) {
  return function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    const parleyError = toParleyError(error);
    // A full disk is logged once per episode by the storage monitor, not once per request.
    if (parleyError.code === 'STORAGE_FULL') reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
    else if (parleyError.code === 'DATABASE_UNAVAILABLE') request.log.warn({ err: error }, 'database unavailable: answered 503');
    else if (parleyError.status >= 500) request.log.error({ err: error }, 'unhandled error');
    metrics.httpErrors.inc({ code: parleyError.code });
    // A refusal that knows when to come back (a throttled sign-in) says so.
    const retryAfter = parleyError.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    // Every 503 says when to come back (the condition is expected to pass: a restart, a full disk being freed).
    if (parleyError.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return reply.status(parleyError.status).send(parleyError.toBody(request.id));
  };
}

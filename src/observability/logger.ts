import pino, { type Logger, type DestinationStream } from 'pino';
import { trace } from '@opentelemetry/api';

export type { Logger };

/**
 * Paths redacted from every log line. Personal data (phone numbers, message bodies, names) and
 * secrets (tokens, keys, credentials) never reach the logs; ids do.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["csrf-token"]',
  'res.headers["set-cookie"]',
  '*.cookie',
  '*["set-cookie"]',
  '*["x-csrf-token"]',
  '*.csrfToken',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.password_hash',
  '*.sessionToken',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.apiKey',
  '*.adminApiKey',
  '*.secret',
  '*.appSecret',
  '*.password',
  '*.credentials',
  '*.phone',
  '*.to',
  '*.from',
  '*.wa_id',
  '*.body',
  '*.text',
  '*.caption',
  '*.name',
  '*.email',
];

export function createLogger(options: { level: string; destination?: DestinationStream; name?: string }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'parley',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line carries the active trace and span ids when a tracer is registered.
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const context = span.spanContext();
        return { trace_id: context.traceId, span_id: context.spanId };
      },
    },
    options.destination,
  );
}

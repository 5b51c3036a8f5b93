import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error shape every route answers with: `{"error":{"code","message"}}`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * An expected failure: the client can fix it (bad parameter, unknown name, missing token).
 * `code` is a stable machine-readable word; `message` says what was wrong and how to fix it.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  429: 'too_many_requests',
  503: 'unavailable',
};

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header('Cache-Control', 'no-store');
  return c.json(errorBody(code, message), status);
}

/** Minimal logger surface (pino and Probot's logger fit it). */
export interface ApiLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * `app.onError`: expected failures become their JSON error; anything else is logged with its
 * stack and answered with a plain 500 that names no internals.
 */
export function makeErrorHandler(logger: ApiLogger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message, err.headers);
    if (err instanceof HTTPException && err.status < 500) {
      const status = err.status as ContentfulStatusCode;
      return errorResponse(
        c,
        status,
        CODES[status] ?? 'bad_request',
        err.message || 'the request was rejected',
      );
    }
    logger.error({ err, method: c.req.method, path: c.req.path }, 'unhandled error in the REST API');
    return errorResponse(
      c,
      500,
      'internal',
      'the server failed to answer this request; its log has the details',
    );
  };
}

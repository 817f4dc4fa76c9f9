// One error body for every failure the API answers: a stable `code` to branch on, a sentence for
// people, and field paths (`body.input.budget`) when the request itself was wrong. Nothing else
// leaves the server: no stack traces, no driver messages.
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { InvalidCursorError } from '../store/index.js';

export interface Problem {
  /** Where in the request: `body.input.budget`, `query.limit`, `params.id`. */
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; problems?: Problem[]; requestId?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not-found', `${what} was not found`);

export const forbidden = (why: string): ApiError => new ApiError(403, 'forbidden', why);

/** Field-path problems of a failed zod parse, under `where` (body, query, params). */
export function problemsOf(where: string, error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function invalidRequest(problems: Problem[]): ApiError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  const message = first ? `${first.path}: ${first.message}${more}` : 'the request is not valid';
  return new ApiError(422, 'invalid-request', message, problems);
}

export function errorBody(error: ApiError, requestId: string | undefined): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...error.details,
      ...(error.problems.length > 0 ? { problems: error.problems } : {}),
      ...(requestId === undefined ? {} : { requestId }),
    },
  };
}

/** A page cursor the store did not issue for this list (store/paging.ts). */
export const invalidCursor = (): ApiError =>
  invalidRequest([{ path: 'query.cursor', message: 'not a cursor this list issued' }]);

/** Errors of the layers below with an answer of their own: a stale cursor, what body-parser reports. */
function fromLayersBelow(error: unknown): ApiError | null {
  if (error instanceof InvalidCursorError) return invalidCursor();
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  switch (error.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'malformed-json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new ApiError(413, 'too-large', 'the request body is larger than the API accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported-encoding', 'the request body must be UTF-8 JSON');
    default:
      return null;
  }
}

/** The last middleware: known errors as they are, anything else as a 500 without its details. */
export function errorHandler(log: (line: string, error?: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const requestId = res.locals['requestId'] as string | undefined;
    const known = error instanceof ApiError ? error : fromLayersBelow(error);
    const answer = known ?? new ApiError(500, 'internal', 'the server failed to answer; it has been logged');
    if (!known) log(`${req.method} ${req.originalUrl} failed (request ${String(requestId)})`, error);
    if (res.headersSent) {
      // A stream that failed half-way: the client sees a cut-off body, never a second header.
      res.destroy();
      return;
    }
    res.status(answer.status).json(errorBody(answer, requestId));
  };
}

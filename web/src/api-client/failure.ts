// An API error as the console shows it: the status, the stable code, the sentence, and for a
// refused input the field paths (`body.input.budget`) with their messages, so a form can put each
// message next to its field. Network failures become one too, so every screen has one error shape.

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
    readonly requestId: string | null = null,
  ) {
    super(message);
  }

  /** The problems whose path is `prefix` or below it, with the prefix cut off (`budget`). */
  problemsUnder(prefix: string): FieldProblem[] {
    return this.problems
      .filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`))
      .map((p) => ({ path: p.path.slice(prefix.length).replace(/^\./, ''), message: p.message }));
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; problems?: unknown; requestId?: unknown };
}

/** The failure an error answer describes (the API's one error body), whatever its shape. */
export function failureOf(status: number, body: unknown): ApiFailure {
  const error = (body as ErrorBody | null)?.error;
  const problems = Array.isArray(error?.problems)
    ? (error.problems as unknown[]).flatMap((p) => {
        const { path, message } = (p ?? {}) as { path?: unknown; message?: unknown };
        return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
      })
    : [];
  return new ApiFailure(
    status,
    typeof error?.code === 'string' ? error.code : `http-${status}`,
    typeof error?.message === 'string' ? error.message : `the server answered ${status}`,
    problems,
    typeof error?.requestId === 'string' ? error.requestId : null,
  );
}

/** Any error as an ApiFailure: an API failure as it is, anything else (a bug, a parse error) as `client`. */
export const asFailure = (error: unknown): ApiFailure =>
  error instanceof ApiFailure
    ? error
    : new ApiFailure(0, 'client', error instanceof Error ? error.message : String(error));

export const networkFailure = (cause: unknown): ApiFailure =>
  new ApiFailure(
    0,
    'network',
    `the server could not be reached (${cause instanceof Error ? cause.message : String(cause)}); check the connection and try again`,
  );

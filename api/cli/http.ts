// The `charter` client's side of HTTP: the bearer token, an Idempotency-Key on every POST, and one
// failure type that carries the API's error body (code, message, field paths) to the terminal.
// Answers are read loosely: the client shows what it knows and ignores fields added later.
import { randomUUID } from 'node:crypto';

export interface ClientEnv {
  /** CHARTER_API: the API's base URL. */
  api: string;
  /** CHARTER_TOKEN: the caller's bearer token, if any. */
  token: string | undefined;
  /** `--idempotency-key`: set to retry a POST safely; random per invocation otherwise. */
  idempotencyKey?: string;
}

export interface Problem {
  path: string;
  message: string;
}

/** The API answered with an error, or could not be reached (status 0). */
export class ApiFailure extends Error {
  override name = 'ApiFailure';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
    /** The whole error object, for fields like a policy's diagnostics. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const DEFAULT_API = 'http://127.0.0.1:3000';

type Query = Record<string, string | number | undefined>;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export class ApiClient {
  private readonly base: string;
  private readonly idempotencyKey: string;

  constructor(private readonly env: ClientEnv) {
    this.base = env.api.replace(/\/+$/, '');
    this.idempotencyKey = env.idempotencyKey ?? randomUUID();
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.json<T>('GET', path + queryString(query));
  }

  /** One key per invocation: a POST retried by this client (or by hand with the key) runs once. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  /**
   * A POST whose answer holds a secret shown once (a new token): the API keeps no replay of it, so
   * no Idempotency-Key goes with it; a failed one is checked (`charter token list`) before retrying.
   */
  postOnce<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, body, false);
  }

  /** PUTs set a state, so repeating one is safe without a key. */
  put<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path);
  }

  /** The raw answer of a streamed route (exports), after the status has been checked. */
  async stream(path: string, query: Query = {}): Promise<Response> {
    const response = await this.send('GET', path + queryString(query));
    if (!response.ok) throw await failureOf(response);
    return response;
  }

  private async json<T>(method: Method, path: string, body?: unknown, keyed = true): Promise<T> {
    const response = await this.send(method, path, body, keyed);
    if (!response.ok) throw await failureOf(response);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiFailure(
        response.status,
        'not-json',
        `the API answered ${method} ${path} with something not JSON`,
      );
    }
  }

  private async send(method: Method, path: string, body?: unknown, keyed = true): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.env.token) headers['authorization'] = `Bearer ${this.env.token}`;
    if (method === 'POST' && keyed) headers['idempotency-key'] = this.idempotencyKey;
    if (method === 'POST' || body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.base}${path}`;
    try {
      return await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ApiFailure(
        0,
        'unreachable',
        `cannot reach the Charter API at ${this.base} (${why}); is it running? (set CHARTER_API)`,
      );
    }
  }
}

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

async function failureOf(response: Response): Promise<ApiFailure> {
  const text = await response.text();
  let error: unknown;
  try {
    error = (JSON.parse(text) as { error?: unknown }).error;
  } catch {
    error = undefined;
  }
  if (typeof error !== 'object' || error === null) {
    return new ApiFailure(response.status, `http-${response.status}`, `the API answered ${response.status}`);
  }
  const details = error as Record<string, unknown>;
  const problems = Array.isArray(details['problems'])
    ? (details['problems'] as unknown[]).filter(isProblem)
    : [];
  return new ApiFailure(
    response.status,
    typeof details['code'] === 'string' ? details['code'] : `http-${response.status}`,
    typeof details['message'] === 'string' ? details['message'] : `the API answered ${response.status}`,
    problems,
    details,
  );
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).path === 'string' &&
    typeof (value as Problem).message === 'string'
  );
}

// The states every screen has besides its content: loading, empty, and an error that says what the
// API said (its sentence, its code, and each field path with its message).
import type { ReactNode } from 'react';
import type { ApiFailure } from '../api-client/client.js';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="state-help">{children}</div> : null}
    </div>
  );
}

/** An API failure: the sentence, the code for searching the docs, the field paths if any. */
export function ErrorNotice({
  failure,
  title,
  onRetry,
}: {
  failure: ApiFailure;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title ?? 'Something went wrong'}</p>
      <p>
        {failure.message} <code className="code-tag">{failure.code}</code>
      </p>
      {failure.problems.length > 0 ? (
        <ul className="problems">
          {failure.problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** The three states and the content, in the order a screen checks them. */
export function Loaded<T>({
  read,
  what,
  children,
}: {
  read: { data: T | null; loading: boolean; error: ApiFailure | null; reload: () => Promise<void> };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (read.data !== null) {
    return (
      <>
        {read.error ? <StaleNotice failure={read.error} /> : null}
        {children(read.data)}
      </>
    );
  }
  if (read.error)
    return (
      <ErrorNotice failure={read.error} title={`Could not load ${what}`} onRetry={() => void read.reload()} />
    );
  return <Loading what={what} />;
}

/** Shown above data that could not be refreshed: it may be out of date. */
function StaleNotice({ failure }: { failure: ApiFailure }) {
  return (
    <p className="notice notice-warning" role="status">
      Could not refresh ({failure.message}); showing what was loaded before.
    </p>
  );
}

// Who is signed in. On load the console asks GET /v1/session: the HttpOnly cookie is invisible to
// scripts, so this is how a reloaded page learns its person, roles and CSRF token. A 401 anywhere
// (expired, signed out in another tab) returns the page to the sign-in screen.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiFailure, setCsrfToken, unwrap, whenSignedOut, asFailure } from '../api-client/client.js';
import type { paths } from '../api-client/client.js';

export type Role = paths['/v1/me']['get']['responses']['200']['content']['application/json']['roles'][number];

export interface SignedIn {
  person: string;
  roles: readonly Role[];
}

interface SessionState {
  /** undefined while the first answer is awaited; null when nobody is signed in. */
  who: SignedIn | null | undefined;
  /** A failure to learn the session that is not "signed out" (server down). */
  error: ApiFailure | null;
  signIn: (by: { token: string } | { person: string }) => Promise<void>;
  signOut: () => Promise<void>;
  retry: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [who, setWho] = useState<SignedIn | null | undefined>(undefined);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    unwrap(api.GET('/v1/session'))
      .then((s) => {
        if (cancelled) return;
        setCsrfToken(s.csrfToken);
        setWho({ person: s.person, roles: s.roles });
        setError(null);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiFailure && e.status === 401) setWho(null);
        else setError(asFailure(e));
      });
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(null);
      setWho(null);
    });
    return () => whenSignedOut(null);
  }, []);

  const signIn = useCallback(async (by: { token: string } | { person: string }) => {
    const s = await unwrap(api.POST('/v1/session', { body: by }));
    setCsrfToken(s.csrfToken);
    setWho({ person: s.person, roles: s.roles });
    setError(null);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await unwrap(api.DELETE('/v1/session'));
    } finally {
      setCsrfToken(null);
      setWho(null);
    }
  }, []);

  const value = useMemo(
    () => ({ who, error, signIn, signOut, retry: () => setAttempt((n) => n + 1) }),
    [who, error, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in person; only for screens shown after sign-in. */
export function useSignedIn(): SignedIn {
  const { who } = useSession();
  if (!who) throw new Error('useSignedIn before sign-in');
  return who;
}

export const hasRole = (who: SignedIn, ...roles: Role[]): boolean => who.roles.some((r) => roles.includes(r));

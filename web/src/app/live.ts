// Reads that stay current: a screen asks for its data once and then every few seconds while the
// tab is visible, so a decision made elsewhere (another approver, a timer, a check) shows within
// seconds without a reload. The API answers reads with an ETag and `no-cache`, so the browser
// revalidates with If-None-Match and an unchanged answer costs a bodiless 304; the answer is
// compared before it replaces the shown data, so an unchanged page does not re-render.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiFailure } from '../api-client/client.js';
import { asFailure } from '../api-client/client.js';

/** How often a visible page asks again; the bar is "within 5 s". */
export const LIVE_INTERVAL_MS = 2_000;

export interface LiveRead<T> {
  data: T | null;
  /** The first answer has not come yet. */
  loading: boolean;
  /** The last attempt failed; `data` still holds the last good answer, if any. */
  error: ApiFailure | null;
  /** Asks again now (after an action of one's own). */
  reload: () => Promise<void>;
}

/**
 * `read` called now, again whenever `key` changes, and every LIVE_INTERVAL_MS (or `intervalMs`)
 * while the page is visible (`live: false` reads once). Answers of an older key are dropped.
 */
export function useLive<T>(
  key: string | null,
  read: () => Promise<T>,
  options: { live?: boolean; intervalMs?: number } = {},
): LiveRead<T> {
  const [state, setState] = useState<{ key: string | null; data: T | null; error: ApiFailure | null }>({
    key: null,
    data: null,
    error: null,
  });
  const readRef = useRef(read);
  readRef.current = read;
  const keyRef = useRef(key);
  keyRef.current = key;
  const lastText = useRef<string | null>(null);

  const run = useCallback(async (): Promise<void> => {
    const asked = keyRef.current;
    if (asked === null) return;
    try {
      const data = await readRef.current();
      if (keyRef.current !== asked) return;
      const text = JSON.stringify(data);
      if (text === lastText.current) {
        setState((s) =>
          s.error === null && s.key === asked ? s : { key: asked, data: s.data, error: null },
        );
        return;
      }
      lastText.current = text;
      setState({ key: asked, data, error: null });
    } catch (error) {
      if (keyRef.current !== asked) return;
      const failure = asFailure(error);
      setState((s) => ({ key: asked, data: s.key === asked ? s.data : null, error: failure }));
    }
  }, []);

  useEffect(() => {
    lastText.current = null;
    if (key === null) return undefined;
    void run();
    if (options.live === false) return undefined;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void run();
    }, options.intervalMs ?? LIVE_INTERVAL_MS);
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') void run();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, options.live, options.intervalMs, run]);

  const current = state.key === key;
  return {
    data: current ? state.data : null,
    loading: key !== null && (!current || (state.data === null && state.error === null)),
    error: current ? state.error : null,
    reload: run,
  };
}

import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './client';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  /** Fetches again (after a change the page made, or a new key). */
  reload: () => void;
}

/**
 * GETs `path` (re-fetched whenever it changes; `undefined` fetches nothing) and keeps the latest answer. An answer
 * to an older path that arrives late is dropped.
 *
 * @example const status = useApi<StatusAnswer>('/v1/status')
 */
export function useApi<T>(path: string | undefined): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: path !== undefined });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (path === undefined) {
      setState({ loading: false });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    api<T>('GET', path, undefined, abort.signal).then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false });
      },
    );
    return () => abort.abort();
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';
import type { Loaded } from '../api/use-api';

/** An API error as a sentence with the server's code (the code is what docs/http-api.md explains). */
export function ErrorNote({ error }: { error: Error }) {
  const code = error instanceof ApiError ? ` (${error.status} ${error.code})` : '';
  return (
    <p class="error" role="alert">
      {error.message}
      {code}
    </p>
  );
}

/** Renders `children(data)` once loaded; a status line while loading and the error when it failed. */
export function WhenLoaded<T>({ state, children, what }: { state: Loaded<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (state.error) return <ErrorNote error={state.error} />;
  if (state.data === undefined) return <p class="muted" role="status">Loading {what}…</p>;
  return <>{children(state.data)}</>;
}

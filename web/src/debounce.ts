import { useEffect, useState } from 'preact/hooks';

/** `value`, once it has stayed the same for `waitMs` (a dragged slider asks the server once it rests). */
export function useDebounced<T>(value: T, waitMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), waitMs);
    return () => window.clearTimeout(timer);
  }, [value, waitMs]);
  return settled;
}

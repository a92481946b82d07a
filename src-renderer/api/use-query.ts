import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../src-main/shared/errors.ts';
import type { Result } from '../../src-main/shared/result.ts';

export type Query<T> = { data: T | undefined; error: AppError | null; loading: boolean; reload: () => void };

/** Runs a call, and again whenever `reload` is called or the key changes. */
export function useQuery<T>(key: string, run: () => Promise<Result<T>>): Query<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<AppError | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    void run().then((result) => {
      if (!live) return;
      if (result.ok) {
        setData(result.value);
        setError(null);
      } else {
        setError(result.error);
      }
    });
    return () => {
      live = false;
    };
    // `run` is a fresh closure each render; the key says when the call really changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading: data === undefined && error === null, reload };
}

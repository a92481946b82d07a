import { createContext, useContext, type ReactNode } from 'react';
import type { PosthornApi } from './types.ts';

const ApiContext = createContext<PosthornApi | null>(null);

export function ApiProvider({ api, children }: { api: PosthornApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): PosthornApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiProvider>');
  return api;
}

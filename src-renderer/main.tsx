import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context.tsx';
import { getApi } from './api/index.ts';
import { App } from './App.tsx';
import './styles.css';

const choice = getApi();
const root = createRoot(document.getElementById('root') as HTMLElement);

root.render(
  <StrictMode>
    {choice.api ? (
      <ApiProvider api={choice.api}>
        <App transport={choice.transport} />
      </ApiProvider>
    ) : (
      <main className="blocked" role="alert">
        <h1>Posthorn needs its session address</h1>
        <p>{choice.problem}</p>
      </main>
    )}
  </StrictMode>,
);

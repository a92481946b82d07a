import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context.tsx';
import { getApi } from './api/index.ts';
import { App } from './App.tsx';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

// A new start link pasted into this tab changes only the #fragment, which does not reload the
// page: start again so the code is traded (and leaves the address bar) at once.
window.addEventListener('hashchange', () => {
  if (/(?:^#|&)code=/.test(window.location.hash)) window.location.reload();
});

void getApi().then((choice) =>
  root.render(
    <StrictMode>
      {choice.api ? (
        <ApiProvider api={choice.api}>
          <App transport={choice.transport} />
        </ApiProvider>
      ) : (
        <main className="blocked" role="alert">
          <h1>Posthorn needs a new start link</h1>
          <p>{choice.problem}</p>
        </main>
      )}
    </StrictMode>,
  ),
);

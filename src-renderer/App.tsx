import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import type { AppCommand } from '../src-main/shared/contract.ts';
import type { AppError } from '../src-main/shared/errors.ts';
import { parseMailto } from '../src-main/shared/mailto.ts';
import type { DraftContent } from '../src-main/shared/schemas/compose.ts';
import { useApi } from './api/api-context.tsx';
import { startupCompose } from './api/index.ts';
import { useQuery } from './api/use-query.ts';
import { ErrorNotice } from './components/ErrorNotice.tsx';
import { useNow } from './components/use-now.ts';
import { AccountsView } from './features/accounts/AccountsView.tsx';
import { draftFromMailto } from './features/compose/compose-state.ts';
import { COMPOSE_COMMAND_EVENT, ComposeView } from './features/compose/ComposeView.tsx';
import { DraftsView } from './features/compose/DraftsView.tsx';
import { UndoToast } from './features/compose/UndoToast.tsx';
import { LogsView } from './features/logs/LogsView.tsx';
import { needingAttention, outboxItems } from './features/outbox/outbox-filters.ts';
import { OutboxView } from './features/outbox/OutboxView.tsx';

function linkProblem(reason: string): AppError {
  return {
    code: 'BAD_INPUT',
    message: `The mail link could not be opened: ${reason}`,
    hint: 'Write the message by hand with New mail.',
  };
}

export type View = 'compose' | 'drafts' | 'outbox' | 'sent' | 'logs' | 'accounts';

export function App({ transport }: { transport: 'electron' | 'browser' }) {
  const api = useApi();
  const accounts = useQuery('accounts', () => api['accounts.list']({}));
  const outbox = useQuery('outbox', () => api['outbox.list']({}));
  const [startLink] = useState(() => {
    const url = startupCompose();
    return url ? parseMailto(url) : null;
  });
  const [view, setView] = useState<View | null>(startLink?.ok ? 'compose' : null);
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<{ content: DraftContent; id: string | null } | null>(
    startLink?.ok ? { content: draftFromMailto(startLink.value), id: null } : null,
  );
  const [composeKey, setComposeKey] = useState(0);
  const [justQueued, setJustQueued] = useState<{ id: string; until: number } | null>(null);

  const closeToast = useCallback(() => setJustQueued(null), []);

  // Back online (or back to this tab after sleep): let the outbox look at once.
  useEffect(() => {
    const wake = () => void api['app.wake']({});
    const onVisible = () => {
      if (document.visibilityState === 'visible') wake();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [api]);
  // A mailto: link (the page's address in browser mode, the OS in the desktop app) opens a new message.
  const [linkError, setLinkError] = useState<AppError | null>(() =>
    startLink && !startLink.ok ? linkProblem(startLink.reason) : null,
  );
  const openLink = useCallback((url: string) => {
    const parsed = parseMailto(url);
    if (!parsed.ok) return setLinkError(linkProblem(parsed.reason));
    setLinkError(null);
    setDraft({ content: draftFromMailto(parsed.value), id: null });
    setComposeKey((k) => k + 1);
    setView('compose');
  }, []);
  useEffect(() => {
    return api.on['compose.open']((payload) => openLink(payload.url));
  }, [api, openLink]);
  useEffect(() => {
    return api.on['outbox.show']((payload) => {
      setSelected(payload.id);
      setView('outbox');
    });
  }, [api]);
  const reloadOutbox = outbox.reload;
  useEffect(() => {
    return api.on['outbox.changed'](() => reloadOutbox());
  }, [api, reloadOutbox]);

  // First run: no account yet, so lead straight into account set-up.
  const hasAccounts = (accounts.data?.length ?? 0) > 0;
  const current: View = view ?? (accounts.loading || hasAccounts ? 'outbox' : 'accounts');
  const all = outbox.data ?? [];
  const minuteClock = useNow(true, 60_000);
  const attention = needingAttention(all);

  const compose = (content: DraftContent | null, draftId: string | null = null) => {
    setDraft(content ? { content, id: draftId } : null);
    setComposeKey((k) => k + 1);
    setView('compose');
  };

  // Desktop: the native menu and the tray ask for what the page does.
  const onAppCommand = useEffectEvent((command: AppCommand) => {
    const views: Partial<Record<AppCommand, View>> = {
      'show-outbox': 'outbox',
      'show-sent': 'sent',
      'show-drafts': 'drafts',
      'show-logs': 'logs',
      'show-accounts': 'accounts',
    };
    const target = views[command];
    if (target) setView(target);
    else if (command === 'new-message') compose(null);
    else window.dispatchEvent(new CustomEvent(COMPOSE_COMMAND_EVENT, { detail: command }));
  });
  useEffect(() => {
    return api.on['app.command'](({ command }) => onAppCommand(command));
  }, [api]);
  // Desktop: a saved message (.eml) opened with Posthorn arrives as a draft to edit and send.
  const onDraftOpen = useEffectEvent(async (id: string) => {
    const result = await api['drafts.get']({ id });
    if (result.ok) compose(result.value.content, id);
    else setLinkError(result.error);
  });
  useEffect(() => {
    return api.on['draft.open'](({ id }) => void onDraftOpen(id));
  }, [api]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'n') {
        event.preventDefault();
        compose(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const nav = (target: View, label: string, badge?: number) => (
    <li>
      <button
        type="button"
        className={`nav-item${current === target ? ' active' : ''}`}
        aria-current={current === target ? 'page' : undefined}
        onClick={() => setView(target)}
      >
        <span>{label}</span>
        {badge ? (
          <span className="badge" aria-label={`${badge} need attention`}>
            {badge}
          </span>
        ) : null}
      </button>
    </li>
  );

  const list = (title: 'Outbox') => (
    <OutboxView
      title={title}
      items={outboxItems(all, minuteClock)}
      error={outbox.error}
      selected={selected}
      onSelect={setSelected}
      onCompose={hasAccounts ? () => compose(null) : () => setView('accounts')}
      onEdit={compose}
    />
  );

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Posthorn">
        <div className="brand">Posthorn</div>
        <button
          type="button"
          className="button primary new-mail"
          onClick={() => compose(null)}
          disabled={!hasAccounts}
          title="New mail (Ctrl+N)"
        >
          New mail
        </button>
        <ul className="nav-list">
          {nav('drafts', 'Drafts')}
          {nav('outbox', 'Outbox', attention)}
          {nav('sent', 'Sent')}
          {nav('logs', 'Logs')}
          {nav('accounts', 'Accounts')}
        </ul>
        <ul className="account-list" aria-label="Accounts">
          {accounts.data?.map((account) => {
            const status = account.lastTest ? (account.lastTest.ok ? 'ok' : 'failed') : 'untested';
            const spoken = { ok: 'last test passed', failed: 'last test failed', untested: 'not tested' }[status];
            return (
              <li key={account.id} className="account-chip" title={account.lastTest?.summary ?? 'Not tested yet'}>
                <span className={`dot dot-${status}`} aria-hidden="true" />
                {account.name}
                <span className="sr-only">, {spoken}</span>
              </li>
            );
          })}
        </ul>
      </nav>
      <main className="content">
        {accounts.error ? <ErrorNotice error={accounts.error} title="Accounts could not be loaded" /> : null}
        {linkError ? <ErrorNotice error={linkError} title="That mail link did not open" /> : null}
        {current === 'accounts' ? (
          <AccountsView
            accounts={accounts.data ?? []}
            onChanged={() => {
              // Stay on Accounts after the first save, so its confirmation is seen.
              setView((v) => v ?? 'accounts');
              accounts.reload();
            }}
            firstRun={!accounts.loading && !hasAccounts}
          />
        ) : null}
        {current === 'compose' && accounts.data ? (
          <ComposeView
            key={composeKey}
            accounts={accounts.data ?? []}
            initial={draft?.content ?? null}
            draftId={draft?.id ?? null}
            transport={transport}
            onQueued={(item, undoUntil) => {
              setSelected(item.id);
              setView('outbox');
              setJustQueued(undoUntil ? { id: item.id, until: undoUntil } : null);
              outbox.reload();
            }}
          />
        ) : null}
        {current === 'drafts' ? <DraftsView onOpen={(content, id) => compose(content, id)} /> : null}
        {current === 'outbox' ? list('Outbox') : null}
        {current === 'sent' ? (
          <LogsView key="sent" title="Sent" fixedState="sent" accounts={accounts.data ?? []} onEdit={compose} />
        ) : null}
        {current === 'logs' ? <LogsView key="logs" accounts={accounts.data ?? []} onEdit={compose} /> : null}
      </main>
      {justQueued ? (
        <UndoToast
          id={justQueued.id}
          until={justQueued.until}
          onUndone={(content) => {
            setJustQueued(null);
            compose(content);
          }}
          onDone={closeToast}
        />
      ) : null}
    </div>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../src-main/shared/errors.ts';
import { parseMailto } from '../src-main/shared/mailto.ts';
import type { DraftContent } from '../src-main/shared/schemas/compose.ts';
import { useApi } from './api/api-context.tsx';
import { startupCompose } from './api/index.ts';
import { useQuery } from './api/use-query.ts';
import { SignInNeededBanner } from './app/SignInNeededBanner.tsx';
import { useDesktopCommands, type View } from './app/use-desktop-commands.ts';
import { useFocusRescue } from './app/use-focus-rescue.ts';
import { useUndoSend } from './app/use-undo-send.ts';
import { useWakeOnReturn } from './app/use-wake-on-return.ts';
import { ErrorNotice } from './components/ErrorNotice.tsx';
import { useNow } from './components/use-now.ts';
import { ViewBoundary } from './components/ViewBoundary.tsx';
import { AccountsView } from './features/accounts/AccountsView.tsx';
import type { ComposeCommands } from './features/compose/compose-commands.ts';
import { draftFromMailto } from './features/compose/compose-state.ts';
import { ComposeView } from './features/compose/ComposeView.tsx';
import { DraftsView } from './features/compose/DraftsView.tsx';
import { UndoToast } from './features/compose/UndoToast.tsx';
import { LogsView } from './features/logs/LogsView.tsx';
import { needingAttention, outboxItems } from './features/outbox/outbox-filters.ts';
import { OutboxView } from './features/outbox/OutboxView.tsx';

const VIEW_NAMES: Record<View, string> = {
  compose: 'New message',
  drafts: 'Drafts',
  outbox: 'Outbox',
  sent: 'Sent',
  logs: 'Logs',
  accounts: 'Accounts',
};

function linkProblem(reason: string): AppError {
  return {
    code: 'BAD_INPUT',
    message: `The mail link could not be opened: ${reason}`,
    hint: 'Write the message by hand with New mail.',
  };
}

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
  // What Ctrl+Z can still take back: the last message sent, until its undo delay ends.
  const [undoable, setUndoable] = useState<{ id: string; until: number } | null>(null);

  const closeToast = useCallback(() => setJustQueued(null), []);
  const composer: ComposeCommands = useRef(null);
  useWakeOnReturn(api);
  useFocusRescue();

  // A mailto: link (the page's address in browser mode, the OS in the desktop app) opens a new message.
  const [linkError, setLinkError] = useState<AppError | null>(() =>
    startLink && !startLink.ok ? linkProblem(startLink.reason) : null,
  );
  const compose = (content: DraftContent | null, draftId: string | null = null) => {
    setDraft(content ? { content, id: draftId } : null);
    setComposeKey((k) => k + 1);
    setView('compose');
  };
  const [focusSearch, setFocusSearch] = useState(false);
  useDesktopCommands(api, {
    show: setView,
    newMessage: () => compose(null),
    search: () => {
      setFocusSearch(true);
      setView((v) => (v === 'sent' ? 'sent' : 'logs'));
    },
    openLink: (url) => {
      const parsed = parseMailto(url);
      if (!parsed.ok) return setLinkError(linkProblem(parsed.reason));
      setLinkError(null);
      compose(draftFromMailto(parsed.value));
    },
    openDraft: (id) => {
      void api['drafts.get']({ id }).then((result) => {
        if (result.ok) compose(result.value.content, id);
        else setLinkError(result.error);
      });
    },
    showMessage: (id) => {
      setSelected(id);
      setView('outbox');
    },
    composer,
  });
  useUndoSend(api, undoable, (content) => {
    setJustQueued(null);
    setUndoable(null);
    compose(content);
  });
  const reloadOutbox = outbox.reload;
  useEffect(() => {
    return api.on['outbox.changed'](() => reloadOutbox());
  }, [api, reloadOutbox]);
  const reloadAccounts = accounts.reload;
  useEffect(() => {
    return api.on['account.signInNeeded'](() => reloadAccounts());
  }, [api, reloadAccounts]);

  // First run: no account yet, so lead straight into account set-up.
  const hasAccounts = (accounts.data?.length ?? 0) > 0;
  const current: View = view ?? (accounts.loading || hasAccounts ? 'outbox' : 'accounts');
  const all = outbox.data ?? [];
  const minuteClock = useNow(true, 60_000);
  const attention = needingAttention(all);

  const nav = (target: View, label: string, badge?: number) => (
    <li>
      <button
        type="button"
        className={`nav-item${current === target ? ' active' : ''}`}
        aria-current={current === target ? 'page' : undefined}
        onClick={() => {
          setFocusSearch(false);
          setView(target);
        }}
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
            const status = account.signInNeeded
              ? 'failed'
              : account.lastTest
                ? account.lastTest.ok
                  ? 'ok'
                  : 'failed'
                : 'untested';
            const spoken = account.signInNeeded
              ? 'must sign in again'
              : { ok: 'last test passed', failed: 'last test failed', untested: 'not tested' }[status];
            const title = account.signInNeeded ? 'Must sign in again' : (account.lastTest?.summary ?? 'Not tested yet');
            return (
              <li key={account.id} className="account-chip" title={title}>
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
        {current !== 'accounts' ? (
          <SignInNeededBanner accounts={accounts.data ?? []} onOpen={() => setView('accounts')} />
        ) : null}
        <ViewBoundary key={current} name={VIEW_NAMES[current]} api={api}>
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
              commandsRef={composer}
              onQueued={(item, undoUntil) => {
                setSelected(item.id);
                setView('outbox');
                const queued = undoUntil ? { id: item.id, until: undoUntil } : null;
                setJustQueued(queued);
                setUndoable(queued);
                outbox.reload();
              }}
            />
          ) : null}
          {current === 'drafts' ? <DraftsView onOpen={(content, id) => compose(content, id)} /> : null}
          {current === 'outbox' ? list('Outbox') : null}
          {current === 'sent' ? (
            <LogsView
              title="Sent"
              fixedState="sent"
              accounts={accounts.data ?? []}
              onEdit={compose}
              autoFocusSearch={focusSearch}
            />
          ) : null}
          {current === 'logs' ? (
            <LogsView accounts={accounts.data ?? []} onEdit={compose} autoFocusSearch={focusSearch} />
          ) : null}
        </ViewBoundary>
      </main>
      {justQueued ? (
        <UndoToast
          id={justQueued.id}
          until={justQueued.until}
          onUndone={(content) => {
            setJustQueued(null);
            setUndoable(null);
            compose(content);
          }}
          onDone={closeToast}
        />
      ) : null}
    </div>
  );
}

import { useEffect, useEffectEvent } from 'react';
import type { AppCommand } from '../../src-main/shared/contract.ts';
import type { PosthornApi } from '../api/types.ts';
import type { ComposeCommands } from '../features/compose/compose-commands.ts';

export type View = 'compose' | 'drafts' | 'outbox' | 'sent' | 'logs' | 'accounts';

type Handlers = {
  show: (view: View) => void;
  newMessage: () => void;
  /** Ctrl+F: the search of the Logs (or of Sent, where the person is). */
  search: () => void;
  /** A mailto: link (from the OS) to open as a new message. */
  openLink: (url: string) => void;
  /** A message (.eml) opened with Posthorn, now a draft. */
  openDraft: (id: string) => void;
  /** One message in the Outbox (a notification clicked). */
  showMessage: (id: string) => void;
  /** The open composer's menu commands (empty while none is open). */
  composer: ComposeCommands;
};

const VIEWS: Partial<Record<AppCommand, View>> = {
  'show-outbox': 'outbox',
  'show-sent': 'sent',
  'show-drafts': 'drafts',
  'show-logs': 'logs',
  'show-accounts': 'accounts',
};

/**
 * What the desktop shell asks of the page (the native menu, the tray, notifications, files and
 * links opened with Posthorn), and Ctrl+N and Ctrl+F anywhere. Each is an event from the core or the
 * window, turned into one of the app's own actions.
 */
export function useDesktopCommands(api: PosthornApi, handlers: Handlers): void {
  const onCommand = useEffectEvent((command: AppCommand) => {
    const target = VIEWS[command];
    if (target) handlers.show(target);
    else if (command === 'new-message') handlers.newMessage();
    else if (command === 'send' || command === 'save-draft') handlers.composer.current?.(command);
  });
  const onLink = useEffectEvent((url: string) => handlers.openLink(url));
  const onDraft = useEffectEvent((id: string) => handlers.openDraft(id));
  const onShow = useEffectEvent((id: string) => handlers.showMessage(id));
  const onNew = useEffectEvent(() => handlers.newMessage());
  const onSearch = useEffectEvent(() => handlers.search());

  useEffect(() => {
    const off = [
      api.on['app.command'](({ command }) => onCommand(command)),
      api.on['compose.open'](({ url }) => onLink(url)),
      api.on['draft.open'](({ id }) => onDraft(id)),
      api.on['outbox.show'](({ id }) => onShow(id)),
    ];
    return () => {
      for (const unsubscribe of off) unsubscribe();
    };
  }, [api]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === 'n') {
        event.preventDefault();
        onNew();
      } else if (key === 'f') {
        event.preventDefault();
        onSearch();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

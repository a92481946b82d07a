import type { Editor } from '@tiptap/react';
import {
  useCallback,
  useEffect,
  useEffectEvent,
  useReducer,
  useRef,
  useState,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import type { Attachment, DraftContent, Priority, WarningFix } from '../../../src-main/shared/schemas/compose.ts';
import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field, fieldErrors } from '../../components/Field.tsx';
import { AttachmentList, useAddFiles } from './AttachmentList.tsx';
import type { ComposeCommands } from './compose-commands.ts';
import { composeReducer } from './compose-reducer.ts';
import { draftOf, hasContent, initialState, messageInput, type ComposeState } from './compose-state.ts';
import { ComposeActionsBar } from './ComposeActionsBar.tsx';
import { DryRunDialog, SourceDialog } from './ComposeDialogs.tsx';
import { FromField } from './FromField.tsx';
import { setPreviewLoader } from './inline-previews.ts';
import { MessageBody } from './MessageBody.tsx';
import { RecipientFields } from './RecipientFields.tsx';
import { localInputValue } from './send-later.ts';
import { useAutosave } from './use-autosave.ts';
import { useComposeActions } from './use-compose-actions.ts';
import { withDomainReplaced } from './warning-fixes.ts';
import { WarningsDialog } from './WarningsDialog.tsx';

type Props = {
  accounts: Account[];
  initial: DraftContent | null;
  draftId: string | null;
  transport: 'electron' | 'browser';
  onQueued: (item: OutboxItem, undoUntil: number | null) => void;
  /** Filled with this composer's handler for the desktop menu's Send and Save Draft. */
  commandsRef?: ComposeCommands;
};

export function ComposeView({ accounts, initial, draftId, transport, onQueued, commandsRef }: Props) {
  const api = useApi();
  const [state, dispatch] = useReducer(composeReducer, null, () => initialState(accounts, initial));
  const [typing, setTyping] = useState({ to: '', cc: '', bcc: '' });
  const [later, setLater] = useState<string | null>(null);
  const [earliest] = useState(() => localInputValue(Date.now()));
  const [dragging, setDragging] = useState(false);
  const set = (patch: Partial<ComposeState>) => dispatch({ type: 'set', patch });

  const account = accounts.find((a) => a.id === state.accountId);
  const identity = account?.identities.find((i) => i.id === state.identityId) ?? account?.identities[0];
  const autosave = useAutosave(draftId, draftOf(state, typing), hasContent(state, identity));
  const actions = useComposeActions({
    input: () => messageInput(state, typing),
    saveDraft: autosave.saveNow,
    onQueued,
    onSent: autosave.forget,
  });
  const fields = fieldErrors(actions.error?.details);
  const { add: addFiles } = useAddFiles(
    (added) => dispatch({ type: 'add-attachments', attachments: [added] }),
    actions.setError,
  );

  // Inline images are placed in (or taken out of) the rich text at the cursor.
  const editorRef = useRef<Editor | null>(null);
  const onEditor = useCallback((editor: Editor | null) => {
    editorRef.current = editor;
  }, []);
  const placeInline = (attachment: Attachment, inline: boolean) => {
    const editor = editorRef.current;
    if (!editor) return;
    const src = `cid:${attachment.id}`;
    if (inline) {
      editor.chain().focus().setImage({ src, alt: attachment.name }).run();
      return;
    }
    const { tr } = editor.state;
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === 'image' && node.attrs.src === src)
        tr.delete(tr.mapping.map(pos), tr.mapping.map(pos + node.nodeSize));
    });
    editor.view.dispatch(tr);
  };

  // Inline images of a reopened draft are shown from the stored attachment.
  useEffect(() => {
    setPreviewLoader(async (id) => {
      const result = await api['attachments.preview']({ id });
      return result.ok ? result.value : null;
    });
  }, [api]);

  const send = () => void actions.send(later);
  const subject = useRef<HTMLInputElement>(null);
  // A warning's one-click fix: done, the dialog closed, and the focus where the person goes on.
  const applyFix = (fix: WarningFix) => {
    actions.closeWarnings();
    if (fix.action === 'replace-domain') set(withDomainReplaced(state, fix.from, fix.to));
    else if (fix.action === 'focus-subject') requestAnimationFrame(() => subject.current?.focus());
    else document.querySelector<HTMLButtonElement>('[data-add-files]')?.click();
  };
  const onCommand = useEffectEvent((command: 'send' | 'save-draft') => {
    if (command === 'send') send();
    else void autosave.saveNow();
  });
  useEffect(() => {
    if (!commandsRef) return;
    commandsRef.current = onCommand;
    return () => {
      commandsRef.current = null;
    };
  }, [commandsRef]);

  const onKeyDown = (event: KeyboardEvent) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key === 'Enter') {
      event.preventDefault();
      send();
    } else if (mod && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void autosave.saveNow();
    }
  };
  const onDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setDragging(false);
    void addFiles([...event.dataTransfer.files]);
  };

  return (
    <section className="page compose" aria-labelledby="compose-title">
      <header className="page-header">
        <h1 id="compose-title">New message</h1>
        <span className="muted" role="status" aria-live="polite">
          {autosave.savedAt ? `Draft saved ${new Date(autosave.savedAt).toLocaleTimeString()}` : ''}
        </span>
      </header>
      <form
        className={`form card${dragging ? ' drop-target' : ''}`}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (accounts.length > 0) send();
        }}
        onKeyDown={onKeyDown}
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes('Files')) {
            e.preventDefault();
            setDragging(true);
          }
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        noValidate
      >
        {actions.error && Object.keys(fields).length === 0 ? (
          <ErrorNotice error={actions.error} title="The message was not sent" />
        ) : null}
        <FromField
          accounts={accounts}
          state={state}
          dispatch={dispatch}
          error={fields.accountId ?? fields.identityId}
        />
        <RecipientFields
          state={state}
          onChange={set}
          onTyping={(patch) => setTyping((t) => ({ ...t, ...patch }))}
          errors={fields}
          startOpen={Boolean(initial?.cc || initial?.bcc)}
          autoFocus={!initial}
        />
        <Field label="Subject" error={fields.subject}>
          <input ref={subject} value={state.subject} onChange={(e) => set({ subject: e.target.value })} />
        </Field>
        <MessageBody
          state={state}
          dispatch={dispatch}
          onEditor={onEditor}
          error={fields.body ?? fields.html}
          onError={actions.setError}
        />
        <AttachmentList
          attachments={state.attachments}
          onChange={(attachments) => set({ attachments })}
          onInline={state.html !== null ? placeInline : undefined}
          onAdd={(added) => dispatch({ type: 'add-attachments', attachments: added })}
          onError={actions.setError}
          transport={transport}
        />
        <details className="options">
          <summary>Options</summary>
          <Field label="Priority">
            <select value={state.priority} onChange={(e) => set({ priority: e.target.value as Priority })}>
              <option value="normal">Normal</option>
              <option value="high">High</option>
              <option value="low">Low</option>
            </select>
          </Field>
          <Field
            label="Send through"
            help={
              state.route === 'direct'
                ? "Posthorn looks up each recipient domain's mail server (MX) and delivers on port 25, one delivery and transcript per domain. Most home and mobile networks block port 25, and many providers refuse mail from home addresses without SPF and DKIM (Posthorn does not sign with DKIM)."
                : undefined
            }
          >
            <select value={state.route} onChange={(e) => set({ route: e.target.value as 'account' | 'direct' })}>
              <option value="account">The account's server (recommended)</option>
              <option value="direct">Directly to each recipient's mail server (port 25)</option>
            </select>
          </Field>
          <fieldset className="checkbox-group">
            <legend>Delivery status notification (if the server offers DSN)</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={state.dsn.success}
                onChange={(e) => set({ dsn: { ...state.dsn, success: e.target.checked } })}
              />{' '}
              When delivered
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={state.dsn.failure}
                onChange={(e) => set({ dsn: { ...state.dsn, failure: e.target.checked } })}
              />{' '}
              When delayed or failed
            </label>
          </fieldset>
        </details>
        {later !== null ? (
          <Field
            label="Send at"
            error={fields.sendAt}
            help="Posthorn sends it then, even after a restart; if it is closed at that time, as soon as it starts."
          >
            <input
              type="datetime-local"
              value={later}
              min={earliest}
              onChange={(e) => setLater(e.target.value)}
              // Shown by "Send later…", whose button it replaces: the focus comes here.
              autoFocus
            />
          </Field>
        ) : null}
        <ComposeActionsBar
          busy={actions.busy}
          canSend={accounts.length > 0}
          later={later}
          onLater={setLater}
          onPreview={() => void actions.preview()}
          onDryRun={() => void actions.tryRecipients()}
          onSaveDraft={() => void autosave.saveNow()}
        />
      </form>
      {actions.warnings ? (
        <WarningsDialog
          warnings={actions.warnings}
          onBack={actions.closeWarnings}
          onSendAnyway={() => void actions.send(later, true)}
          onFix={applyFix}
        />
      ) : null}
      {actions.source ? <SourceDialog source={actions.source} onClose={actions.closeSource} /> : null}
      {actions.dryRun ? (
        <DryRunDialog
          dryRun={actions.dryRun}
          onClose={actions.closeDryRun}
          onVrfy={() => void actions.tryRecipients(true)}
        />
      ) : null}
    </section>
  );
}

import type { Editor } from '@tiptap/react';
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useEffectEvent,
  useId,
  useRef,
  useState,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import type {
  Attachment,
  ComposeWarning,
  DraftContent,
  DryRun,
  Priority,
} from '../../../src-main/shared/schemas/compose.ts';
import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { formatBytes } from '../../../src-main/shared/wording.ts';
import { useApi } from '../../api/api-context.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field, fieldErrors } from '../../components/Field.tsx';
import { AttachmentList, useAddFiles } from './AttachmentList.tsx';
import {
  draftOf,
  hasContent,
  htmlFromPlainText,
  initialState,
  messageInput,
  signatureHtml,
  signatureText,
  type ComposeState,
} from './compose-state.ts';
import { setPreviewLoader } from './inline-previews.ts';
import { RecipientField } from './RecipientField.tsx';
import { TextDialog } from './SourceDialog.tsx';
import { useAutosave } from './use-autosave.ts';
import { WarningsDialog } from './WarningsDialog.tsx';

/** A window event the app raises for the desktop menu's Send and Save Draft while composing. */
export const COMPOSE_COMMAND_EVENT = 'posthorn:compose-command';

const UNDO_SECONDS = 5;

// The editor (Tiptap and ProseMirror) is most of the page's code: it loads when first needed.
const RichTextEditor = lazy(() => import('./RichTextEditor.tsx').then((m) => ({ default: m.RichTextEditor })));

/** "2026-11-22T18:30" in local time, as <input type="datetime-local"> wants it. */
function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

type Props = {
  accounts: Account[];
  initial: DraftContent | null;
  draftId: string | null;
  transport: 'electron' | 'browser';
  onQueued: (item: OutboxItem, undoUntil: number | null) => void;
};

export function ComposeView({ accounts, initial, draftId: initialDraftId, transport, onQueued }: Props) {
  const api = useApi();
  const bodyLabel = useId();
  const [state, setState] = useState<ComposeState>(() => initialState(accounts, initial));
  const [typing, setTyping] = useState({ to: '', cc: '', bcc: '' });
  const [showCopies, setShowCopies] = useState(Boolean(initial?.cc || initial?.bcc));
  const [later, setLater] = useState<string | null>(null);
  const [earliest] = useState(() => localInputValue(Date.now()));
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<null | 'sending' | 'checking' | 'preview' | 'dry-run'>(null);
  const [warnings, setWarnings] = useState<ComposeWarning[] | null>(null);
  const [source, setSource] = useState<{ source: string; size: number; shownBytes: number } | null>(null);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [dragging, setDragging] = useState(false);
  const fields = fieldErrors(error?.details);

  const account = accounts.find((a) => a.id === state.accountId);
  const identity = account?.identities.find((i) => i.id === state.identityId) ?? account?.identities[0];
  const update = (patch: Partial<ComposeState>) => {
    setState((s) => ({ ...s, ...patch }));
  };
  const autosave = useAutosave(initialDraftId, draftOf(state, typing), hasContent(state, identity));
  const { add: addFiles } = useAddFiles(
    (added) => setState((s) => ({ ...s, attachments: [...s.attachments, added] })),
    setError,
  );

  /** Choosing another From swaps the signature if the old one is still in the text. */
  const chooseIdentity = (value: string) => {
    const [accountId, identityId] = value.split('|');
    const nextAccount = accounts.find((a) => a.id === accountId);
    const next = nextAccount?.identities.find((i) => i.id === identityId);
    setState((s) => ({
      ...s,
      accountId: accountId ?? s.accountId,
      identityId: identityId ?? null,
      text:
        signatureText(identity) && s.text.includes(signatureText(identity))
          ? s.text.replace(signatureText(identity), signatureText(next))
          : s.text,
      html:
        s.html !== null && signatureHtml(identity) && s.html.includes(signatureHtml(identity))
          ? s.html.replace(signatureHtml(identity), signatureHtml(next))
          : s.html,
    }));
  };

  const input = () => messageInput(state, typing);

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

  async function send(skipChecks = false) {
    if (busy) return;
    const sendAt = later ? new Date(later).getTime() : undefined;
    if (later !== null && (sendAt === undefined || Number.isNaN(sendAt))) {
      setError({
        code: 'BAD_INPUT',
        message: 'Choose when to send it.',
        details: { 'field:sendAt': 'Choose a date and time.' },
      });
      return;
    }
    setError(null);
    if (!skipChecks) {
      setBusy('checking');
      const checked = await api['compose.check'](input());
      setBusy(null);
      if (!checked.ok) {
        setError(checked.error);
        return;
      }
      if (checked.value.length > 0) {
        setWarnings(checked.value);
        return;
      }
    }
    setWarnings(null);
    setBusy('sending');
    const draftId = await autosave.saveNow();
    const result = await api['outbox.enqueue']({
      ...input(),
      undoSeconds: UNDO_SECONDS,
      ...(sendAt !== undefined ? { sendAt } : {}),
      ...(draftId ? { draftId } : {}),
    });
    setBusy(null);
    // On error nothing typed is lost: the form stays as it is, and so does the draft.
    if (!result.ok) {
      setError(result.error);
      return;
    }
    autosave.forget();
    onQueued(result.value, sendAt === undefined ? result.value.nextAttemptAt : null);
  }

  async function preview() {
    setBusy('preview');
    const result = await api['compose.preview'](input());
    setBusy(null);
    if (result.ok) setSource(result.value);
    else setError(result.error);
  }

  async function tryRecipients() {
    setBusy('dry-run');
    const result = await api['compose.dryRun'](input());
    setBusy(null);
    if (result.ok) setDryRun(result.value);
    else setError(result.error);
  }

  // Inline images of a reopened draft are shown from the stored attachment.
  useEffect(() => {
    setPreviewLoader(async (id) => {
      const result = await api['attachments.preview']({ id });
      return result.ok ? result.value : null;
    });
  }, [api]);

  // The desktop menu's Send and Save Draft (Ctrl+Enter / Ctrl+S when clicked rather than typed).
  const onMenuCommand = useEffectEvent((command: string) => {
    if (command === 'send') void send();
    if (command === 'save-draft') void autosave.saveNow();
  });
  useEffect(() => {
    const listener = (event: Event) => {
      onMenuCommand((event as CustomEvent<string>).detail);
    };
    window.addEventListener(COMPOSE_COMMAND_EVENT, listener);
    return () => window.removeEventListener(COMPOSE_COMMAND_EVENT, listener);
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void send();
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
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

  const setMode = (rich: boolean) => {
    if (rich && state.html === null) update({ html: htmlFromPlainText(state.text) });
    else if (!rich) update({ html: null });
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
          void send();
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
        {error && Object.keys(fields).length === 0 ? (
          <ErrorNotice error={error} title="The message was not sent" />
        ) : null}
        <Field label="From" error={fields.accountId ?? fields.identityId}>
          <select value={`${state.accountId}|${identity?.id ?? ''}`} onChange={(e) => chooseIdentity(e.target.value)}>
            {accounts.flatMap((a) =>
              (a.identities.length > 0 ? a.identities : [{ id: '', fromName: a.name, fromAddress: a.email }]).map(
                (i) => (
                  <option key={`${a.id}|${i.id}`} value={`${a.id}|${i.id}`}>
                    {i.fromName} &lt;{i.fromAddress}&gt; — {a.name}
                  </option>
                ),
              ),
            )}
          </select>
        </Field>
        <RecipientField
          label="To"
          value={state.to}
          onChange={(to) => update({ to })}
          onTyping={(to) => setTyping((t) => ({ ...t, to }))}
          error={fields.to}
          autoFocus={!initial}
        />
        {showCopies ? (
          <>
            <RecipientField
              label="Cc"
              value={state.cc}
              onChange={(cc) => update({ cc })}
              onTyping={(cc) => setTyping((t) => ({ ...t, cc }))}
              error={fields.cc}
            />
            <RecipientField
              label="Bcc"
              value={state.bcc}
              onChange={(bcc) => update({ bcc })}
              onTyping={(bcc) => setTyping((t) => ({ ...t, bcc }))}
              error={fields.bcc}
            />
          </>
        ) : (
          <button type="button" className="link-button" onClick={() => setShowCopies(true)}>
            Add Cc or Bcc
          </button>
        )}
        <Field label="Subject" error={fields.subject}>
          <input value={state.subject} onChange={(e) => update({ subject: e.target.value })} />
        </Field>
        <div className="field">
          <div className="body-header">
            <span id={bodyLabel} className="label">
              Message
            </span>
            <label className="inline-toggle">
              <input type="checkbox" checked={state.html === null} onChange={(e) => setMode(!e.target.checked)} />
              Plain text
            </label>
          </div>
          {state.html !== null ? (
            <Suspense
              fallback={
                <div className="rich-editor muted" aria-busy="true">
                  Loading the editor…
                </div>
              }
            >
              <RichTextEditor
                html={state.html}
                labelledBy={bodyLabel}
                onChange={(html, text) => update({ html, text })}
                onEditor={onEditor}
              />
            </Suspense>
          ) : (
            <textarea
              aria-labelledby={bodyLabel}
              value={state.text}
              onChange={(e) => update({ text: e.target.value })}
              rows={14}
            />
          )}
          {fields.body || fields.html ? <p className="field-error">{fields.body ?? fields.html}</p> : null}
        </div>
        <AttachmentList
          attachments={state.attachments}
          onChange={(attachments) => update({ attachments })}
          onInline={state.html !== null ? placeInline : undefined}
          onAdd={(added) => setState((s) => ({ ...s, attachments: [...s.attachments, ...added] }))}
          onError={setError}
          transport={transport}
        />
        <details className="options">
          <summary>Options</summary>
          <Field label="Priority">
            <select value={state.priority} onChange={(e) => update({ priority: e.target.value as Priority })}>
              <option value="normal">Normal</option>
              <option value="high">High</option>
              <option value="low">Low</option>
            </select>
          </Field>
          <fieldset className="checkbox-group">
            <legend>Delivery status notification (if the server offers DSN)</legend>
            <label>
              <input
                type="checkbox"
                checked={state.dsn.success}
                onChange={(e) => update({ dsn: { ...state.dsn, success: e.target.checked } })}
              />{' '}
              When delivered
            </label>
            <label>
              <input
                type="checkbox"
                checked={state.dsn.failure}
                onChange={(e) => update({ dsn: { ...state.dsn, failure: e.target.checked } })}
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
            <input type="datetime-local" value={later} min={earliest} onChange={(e) => setLater(e.target.value)} />
          </Field>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button primary"
            disabled={busy !== null || accounts.length === 0}
            title="Send (Ctrl+Enter)"
          >
            {busy === 'sending' ? 'Sending…' : busy === 'checking' ? 'Checking…' : later !== null ? 'Schedule' : 'Send'}
          </button>
          {later === null ? (
            <button
              type="button"
              className="button"
              onClick={() => setLater(localInputValue(Date.now() + 60 * 60_000))}
            >
              Send later…
            </button>
          ) : (
            <button type="button" className="button" onClick={() => setLater(null)}>
              Send now instead
            </button>
          )}
          <button type="button" className="button" onClick={() => void preview()} disabled={busy !== null}>
            Preview source
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void tryRecipients()}
            disabled={busy !== null}
            title="Ask the server about each recipient without sending"
          >
            {busy === 'dry-run' ? 'Asking the server…' : 'Dry run'}
          </button>
          <button type="button" className="button" onClick={() => void autosave.saveNow()} title="Save draft (Ctrl+S)">
            Save draft
          </button>
          <span className="muted">Ctrl+Enter sends · Ctrl+S saves · {UNDO_SECONDS} s to undo</span>
        </div>
      </form>
      {warnings ? (
        <WarningsDialog warnings={warnings} onBack={() => setWarnings(null)} onSendAnyway={() => void send(true)} />
      ) : null}
      {source ? (
        <TextDialog title="Message source" onClose={() => setSource(null)}>
          <p className="muted">
            Exactly what Send would queue, except the Message-ID and Date, which are fixed when you send.{' '}
            {source.shownBytes < source.size
              ? `The first ${formatBytes(source.shownBytes)} of ${formatBytes(source.size)} are shown; the rest is attachment data.`
              : ''}
          </p>
          <pre className="source" tabIndex={0} aria-label="Message source">
            {source.source}
          </pre>
        </TextDialog>
      ) : null}
      {dryRun ? (
        <TextDialog title="Dry run: what the server said about each recipient" onClose={() => setDryRun(null)}>
          {dryRun.error ? <ErrorNotice error={dryRun.error} title="The dry run stopped" /> : null}
          <ul className="dry-run">
            {dryRun.accepted.map((a) => (
              <li key={a} className="ok">
                ✓ {a} would be accepted
              </li>
            ))}
            {dryRun.refused.map((r) => (
              <li key={r.address} className="refused">
                ✗ {r.address}: {r.reply}
              </li>
            ))}
          </ul>
          <pre className="source" tabIndex={0} aria-label="Transcript of the dry run">
            {dryRun.lines.map((l) => `${l.dir === 'C' ? 'C:' : l.dir === 'S' ? 'S:' : '  '} ${l.text}`).join('\n')}
          </pre>
          <p className="muted">Nothing was sent: Posthorn stopped after RCPT TO and reset the session.</p>
        </TextDialog>
      ) : null}
    </section>
  );
}

import type { Editor } from '@tiptap/react';
import { lazy, Suspense, useId, useRef, useState, type Dispatch } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import { useApi } from '../../api/api-context.tsx';
import type { ComposeAction } from './compose-reducer.ts';
import type { ComposeState } from './compose-state.ts';
import { formattingIn, losesNothing, type FormattingLoss } from './formatting-summary.ts';
import { PlainTextDialog } from './PlainTextDialog.tsx';

// The editor (Tiptap and ProseMirror) is most of the page's code: it loads when first needed.
const RichTextEditor = lazy(() => import('./RichTextEditor.tsx').then((m) => ({ default: m.RichTextEditor })));

type Props = {
  state: Pick<ComposeState, 'html' | 'text'>;
  dispatch: Dispatch<ComposeAction>;
  onEditor: (editor: Editor | null) => void;
  error?: string | undefined;
  /** The switch to plain text could not be made (the core did not answer). */
  onError: (error: AppError) => void;
};

/**
 * The message text: the formatted editor, or a plain text area. Switching to plain text says
 * first what it would change (formatting, links, images in the text) and asks; nothing is
 * dropped without the person's word.
 */
export function MessageBody({ state, dispatch, onEditor, error, onError }: Props) {
  const api = useApi();
  const label = useId();
  const [asking, setAsking] = useState<FormattingLoss | null>(null);
  const typedHere = useRef(false);

  async function switchToPlain() {
    // The core converts: the same conversion as the message's own text/plain part.
    const result = await api['compose.plainText']({ html: state.html ?? '' });
    setAsking(null);
    if (result.ok) dispatch({ type: 'to-plain', text: result.value.text });
    else onError(result.error);
  }

  function onPlainToggle(plain: boolean) {
    if (!plain) return dispatch({ type: 'to-rich' });
    const loss = formattingIn(state.html ?? '');
    if (losesNothing(loss)) return void switchToPlain();
    setAsking(loss);
  }

  return (
    <div className="field">
      <div className="body-header">
        <span id={label} className="label">
          Message
        </span>
        <label className="inline-toggle">
          <input type="checkbox" checked={state.html === null} onChange={(e) => onPlainToggle(e.target.checked)} />
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
            labelledBy={label}
            onChange={(html, text) => dispatch({ type: 'set', patch: { html, text } })}
            onEditor={onEditor}
          />
        </Suspense>
      ) : (
        <textarea
          aria-labelledby={label}
          value={state.text}
          onChange={(e) => dispatch({ type: 'set', patch: { text: e.target.value } })}
          // Until something is typed here the browser's undo has nothing of this field to undo,
          // and would reach into another field (it emptied the Subject): not before then.
          onInput={() => (typedHere.current = true)}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !typedHere.current) e.preventDefault();
          }}
          rows={14}
        />
      )}
      {error ? <p className="field-error">{error}</p> : null}
      {asking ? (
        <PlainTextDialog loss={asking} onSwitch={() => void switchToPlain()} onKeep={() => setAsking(null)} />
      ) : null}
    </div>
  );
}

import { useRef, useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { Attachment } from '../../../src-main/shared/schemas/compose.ts';
import { formatBytes } from '../../../src-main/shared/wording.ts';
import { useApi } from '../../api/api-context.tsx';
import { rememberPreview } from './inline-previews.ts';

type Props = {
  attachments: Attachment[];
  onChange: (next: Attachment[]) => void;
  /** An image shown in the text (or taken out of it); only in rich text. */
  onInline?: ((attachment: Attachment, inline: boolean) => void) | undefined;
  /** Files added (by the picker or the dialog), appended to whatever is attached by then. */
  onAdd: (added: Attachment[]) => void;
  onError: (error: AppError) => void;
  /** Files dropped anywhere on the composer arrive here too. */
  transport: 'electron' | 'browser';
};

/**
 * Hands files to Posthorn: in the browser one by one (each streamed, never read whole into the
 * page); in the desktop window all at once, after the main process has asked the person.
 */
export function useAddFiles(onAdded: (added: Attachment) => void, onError: (error: AppError) => void) {
  const api = useApi();
  const [busy, setBusy] = useState<string[]>([]);
  const addOne = async (file: File) => {
    if (!api.addFile) return;
    setBusy((b) => [...b, file.name]);
    const result = await api.addFile(file);
    setBusy((b) => b.filter((name) => name !== file.name));
    if (result.ok) {
      rememberPreview(result.value.id, file);
      onAdded(result.value);
    } else onError(result.error);
  };
  const add = async (files: File[]) => {
    if (!api.addDroppedFiles) {
      for (const file of files) await addOne(file);
      return;
    }
    const names = files.map((file) => file.name);
    setBusy((b) => [...b, ...names]);
    const result = await api.addDroppedFiles(files);
    setBusy((b) => b.filter((name) => !names.includes(name)));
    if (!result.ok) return onError(result.error);
    result.value.forEach((added, i) => {
      const file = files[i];
      if (file) rememberPreview(added.id, file);
      onAdded(added);
    });
  };
  return { add, busy };
}

export function AttachmentList({ attachments, onChange, onInline, onAdd, onError, transport }: Props) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const { add, busy } = useAddFiles((added) => onAdd([added]), onError);

  const pick = async () => {
    if (transport === 'browser') {
      input.current?.click();
      return;
    }
    // Desktop: the main process opens the OS dialog; the page only gets the copies' ids.
    const result = await api.pickFiles();
    if (result.ok) onAdd(result.value);
    else onError(result.error);
  };
  const total = attachments.reduce((sum, a) => sum + a.size, 0);

  return (
    <div className="attachments">
      <div className="attachments-header">
        <button type="button" className="button" data-add-files onClick={() => void pick()}>
          Add files…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          aria-label="Files to attach"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void add(files);
          }}
        />
        <span className="muted">
          {attachments.length > 0
            ? `${attachments.length} attached · ${formatBytes(total)}`
            : 'or drop files onto the message'}
        </span>
      </div>
      {attachments.length + busy.length > 0 ? (
        <ul className="attachment-list" aria-label="Attachments">
          {attachments.map((a) => (
            <li key={a.id} className="attachment">
              <span className="attachment-name">{a.name}</span>
              <span className="muted">
                {a.type} · {formatBytes(a.size)}
              </span>
              <label className="inline-toggle">
                <input
                  type="checkbox"
                  checked={a.inline}
                  disabled={!a.type.startsWith('image/') || !onInline}
                  onChange={(e) => {
                    onChange(attachments.map((x) => (x.id === a.id ? { ...x, inline: e.target.checked } : x)));
                    onInline?.(a, e.target.checked);
                  }}
                />
                In the text
              </label>
              <button
                type="button"
                className="button small"
                aria-label={`Remove ${a.name}`}
                onClick={() => onChange(attachments.filter((x) => x.id !== a.id))}
              >
                Remove
              </button>
            </li>
          ))}
          {busy.map((name) => (
            <li key={`busy-${name}`} className="attachment muted" aria-live="polite">
              Adding {name}…
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

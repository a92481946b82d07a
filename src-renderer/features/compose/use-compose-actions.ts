import { useState } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { ComposeWarning, DryRun, MessageInput } from '../../../src-main/shared/schemas/compose.ts';
import type { OutboxItem } from '../../../src-main/shared/schemas/outbox.ts';
import { useApi } from '../../api/api-context.tsx';

export type Busy = null | 'sending' | 'checking' | 'preview' | 'dry-run';
export type MessageSource = { source: string; size: number; shownBytes: number };

type Options = {
  /** The message as it stands (recipients typed but not yet chips included). */
  input: () => MessageInput;

  /** Saves the draft now and gives its id, so the queued message replaces it. */
  saveDraft: () => Promise<string | null>;
  onQueued: (item: OutboxItem, undoUntil: number | null) => void;
  /** The draft is now a queued message: autosave stops. */
  onSent: () => void;
};

/**
 * What the composer asks of the core: check then send (or schedule), preview the source, and
 * a dry run; with what is busy, the last error, and what each returned for its dialog. On an
 * error nothing typed is lost: the form and the draft stay as they are.
 */
export function useComposeActions({ input, saveDraft, onQueued, onSent }: Options) {
  const api = useApi();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [warnings, setWarnings] = useState<ComposeWarning[] | null>(null);
  const [source, setSource] = useState<MessageSource | null>(null);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);

  /** `later`: the "Send at" field's value, or null to send now. */
  async function send(later: string | null, skipChecks = false) {
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
      if (!checked.ok) return setError(checked.error);
      if (checked.value.length > 0) return setWarnings(checked.value);
    }
    setWarnings(null);
    setBusy('sending');
    const draftId = await saveDraft();
    // The undo delay is the person's setting (Accounts › Sending), applied by the core.
    const result = await api['outbox.enqueue']({
      ...input(),
      ...(sendAt !== undefined ? { sendAt } : {}),
      ...(draftId ? { draftId } : {}),
    });
    setBusy(null);
    if (!result.ok) return setError(result.error);
    onSent();
    onQueued(result.value, sendAt === undefined ? result.value.nextAttemptAt : null);
  }

  async function preview() {
    if (busy) return;
    setBusy('preview');
    const result = await api['compose.preview'](input());
    setBusy(null);
    if (result.ok) setSource(result.value);
    else setError(result.error);
  }

  async function tryRecipients(vrfy = false) {
    if (busy) return;
    setBusy('dry-run');
    const result = await api['compose.dryRun']({ ...input(), ...(vrfy ? { vrfy } : {}) });
    setBusy(null);
    if (result.ok) setDryRun(result.value);
    else setError(result.error);
  }

  return {
    busy,
    error,
    setError,
    warnings,
    closeWarnings: () => setWarnings(null),
    source,
    closeSource: () => setSource(null),
    dryRun,
    closeDryRun: () => setDryRun(null),
    send,
    preview,
    tryRecipients,
  };
}

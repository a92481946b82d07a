import { useState } from 'react';
import { laterPresets, localInputValue } from './send-later.ts';
import type { Busy } from './use-compose-actions.ts';

type Props = {
  busy: Busy;
  canSend: boolean;
  later: string | null;
  onLater: (value: string | null) => void;
  onPreview: () => void;
  onDryRun: () => void;
  onSaveDraft: () => void;
};

/**
 * The composer's actions, in a bar that stays in view while the message is written (it sticks
 * to the bottom of the window, so Send is reachable at 900×600 too). Busy buttons stay
 * focusable (aria-disabled): a disabled button would drop the keyboard focus to the page.
 */
export function ComposeActionsBar({ busy, canSend, later, onLater, onPreview, onDryRun, onSaveDraft }: Props) {
  const [presets] = useState(() => laterPresets(Date.now()));
  const sendWord =
    busy === 'sending' ? 'Sending…' : busy === 'checking' ? 'Checking…' : later !== null ? 'Schedule' : 'Send';
  return (
    <div className="form-actions compose-actions" role="group" aria-label="Message actions">
      <button
        type="submit"
        className="button primary"
        aria-disabled={busy !== null || !canSend}
        title="Send (Ctrl+Enter)"
      >
        {sendWord}
      </button>
      {later === null ? (
        <button type="button" className="button" onClick={() => onLater(localInputValue(Date.now() + 60 * 60_000))}>
          Send later…
        </button>
      ) : (
        <>
          {presets.map((preset) => (
            <button
              key={preset.label}
              type="button"
              className="button"
              aria-pressed={later === localInputValue(preset.at)}
              onClick={() => onLater(localInputValue(preset.at))}
            >
              {preset.label}
            </button>
          ))}
          <button type="button" className="button" onClick={() => onLater(null)}>
            Send now instead
          </button>
        </>
      )}
      <button type="button" className="button" onClick={onPreview} aria-disabled={busy !== null}>
        Preview source
      </button>
      <button
        type="button"
        className="button"
        onClick={onDryRun}
        aria-disabled={busy !== null}
        title="Ask the server about each recipient without sending"
      >
        {busy === 'dry-run' ? 'Asking the server…' : 'Dry run'}
      </button>
      <button type="button" className="button" onClick={onSaveDraft} title="Save draft (Ctrl+S)">
        Save draft
      </button>
      <span className="muted compose-hint">Ctrl+Enter sends · Ctrl+S saves</span>
    </div>
  );
}

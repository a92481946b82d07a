import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../src-main/shared/errors.ts';
import type { SendingSettings as Settings } from '../../../src-main/shared/schemas/app.ts';
import { useApi } from '../../api/api-context.tsx';
import { useQuery } from '../../api/use-query.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field, fieldErrors } from '../../components/Field.tsx';

type Form = { retryHours: string; maxConnections: string; undoSeconds: string };

const asForm = (settings: Settings): Form => ({
  retryHours: String(settings.retryHours),
  maxConnections: String(settings.maxConnections),
  undoSeconds: String(settings.undoSeconds),
});

/** "How long to keep trying", "connections across accounts" and the undo delay: the outbox's settings. */
export function SendingSettings() {
  const api = useApi();
  const current = useQuery('sending-settings', () => api['settings.get']({}));
  if (current.error) return <ErrorNotice error={current.error} />;
  if (!current.data) return null;
  // Mounted once with what was stored; after a save the form already shows what was saved.
  return <SendingSettingsForm initial={current.data} />;
}

function SendingSettingsForm({ initial }: { initial: Settings }) {
  const api = useApi();
  const [form, setForm] = useState<Form>(() => asForm(initial));
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const fields = fieldErrors(error?.details);
  const change = (part: Partial<Form>) => {
    setForm({ ...form, ...part });
    setSaved(false);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    const result = await api['settings.save']({
      retryHours: Number(form.retryHours),
      maxConnections: Number(form.maxConnections),
      undoSeconds: Number(form.undoSeconds),
    });
    if (!result.ok) {
      setSaved(false);
      setError(result.error);
      return;
    }
    setError(null);
    setForm(asForm(result.value));
    setSaved(true);
  }

  const days = Number(form.retryHours) / 24;
  return (
    <form
      className="card sending-settings"
      aria-labelledby="sending-settings-title"
      onSubmit={(event) => void save(event)}
      noValidate
    >
      <h2 id="sending-settings-title" className="card-title">
        Sending, for all accounts
      </h2>
      {error && !Object.keys(fields).length ? <ErrorNotice error={error} /> : null}
      <div className="form-grid">
        <Field
          label="Keep retrying for (hours)"
          error={fields.retryHours}
          help={`A message the server keeps deferring fails after this long${Number.isFinite(days) && days >= 1 ? ` (${days % 1 === 0 ? days : days.toFixed(1)} days)` : ''}. Applies to mail queued from now on.`}
        >
          <input inputMode="numeric" value={form.retryHours} onChange={(e) => change({ retryHours: e.target.value })} />
        </Field>
        <Field
          label="Connections at once, all accounts"
          error={fields.maxConnections}
          help="Each account also keeps to its own limit. Applies at once."
        >
          <input
            inputMode="numeric"
            value={form.maxConnections}
            onChange={(e) => change({ maxConnections: e.target.value })}
          />
        </Field>
        <Field
          label="Undo send (seconds)"
          error={fields.undoSeconds}
          help="How long a message waits after Send, so Undo can take it back. 0 sends at once."
        >
          <input
            inputMode="numeric"
            value={form.undoSeconds}
            onChange={(e) => change({ undoSeconds: e.target.value })}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button">
          Save sending settings
        </button>
        {saved ? (
          <span role="status" className="muted">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}

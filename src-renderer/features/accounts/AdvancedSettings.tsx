import { Field } from '../../components/Field.tsx';
import type { FormState } from './account-form-state.ts';

type Props = {
  form: FormState;
  set: <K extends keyof FormState>(key: K, value: FormState[K]) => void;
  fields: Record<string, string>;
  vrfyAddress: string;
  onVrfyAddress: (value: string) => void;
  expnList: string;
  onExpnList: (value: string) => void;
};

/** The account form's Advanced part: EHLO name, timeouts, connections, default, and a VRFY address for Test. */
export function AdvancedSettings({ form, set, fields, vrfyAddress, onVrfyAddress, expnList, onExpnList }: Props) {
  return (
    <details className="fieldset advanced">
      <summary>Advanced</summary>
      <div className="form-grid">
        <Field
          label="EHLO name"
          error={fields.ehloName}
          help="How Posthorn names this computer to the server. Empty: the computer's name."
        >
          <input
            value={form.ehloName}
            onChange={(e) => set('ehloName', e.target.value)}
            placeholder="laptop.example.org"
            spellCheck={false}
          />
        </Field>
        <div className="field-row three">
          <Field label="Connect (s)" error={fields['timeouts.connectMs']}>
            <input inputMode="numeric" value={form.connectS} onChange={(e) => set('connectS', e.target.value)} />
          </Field>
          <Field label="Greeting (s)" error={fields['timeouts.greetingMs']}>
            <input inputMode="numeric" value={form.greetingS} onChange={(e) => set('greetingS', e.target.value)} />
          </Field>
          <Field label="Idle (s)" error={fields['timeouts.socketMs']}>
            <input inputMode="numeric" value={form.socketS} onChange={(e) => set('socketS', e.target.value)} />
          </Field>
        </div>
      </div>
      <Field
        label="Connections at once"
        error={fields.maxConnections}
        help="Providers limit parallel connections; 2 is safe almost everywhere."
      >
        <input
          inputMode="numeric"
          value={form.maxConnections}
          onChange={(e) => set('maxConnections', e.target.value.replace(/\D/g, ''))}
        />
      </Field>
      <label className="check">
        <input type="checkbox" checked={form.isDefault} onChange={(e) => set('isDefault', e.target.checked)} />
        Use this account by default
      </label>
      <Field
        label="Check an address with VRFY (optional)"
        error={fields.vrfyAddress}
        help="Test connection then also asks the server about this address. Most servers will not say (252) or have VRFY turned off."
      >
        <input
          type="email"
          value={vrfyAddress}
          onChange={(e) => onVrfyAddress(e.target.value)}
          placeholder="someone@example.org"
          spellCheck={false}
        />
      </Field>
      <Field
        label="Expand a mailing list with EXPN (optional)"
        error={fields.expnList}
        help="Test connection then also asks the server who is on this list. Almost every server refuses (502)."
      >
        <input value={expnList} onChange={(e) => onExpnList(e.target.value)} placeholder="staff" spellCheck={false} />
      </Field>
    </details>
  );
}

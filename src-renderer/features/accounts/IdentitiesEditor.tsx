import { Field } from '../../components/Field.tsx';
import { newKey, type IdentityDraft } from './account-form-state.ts';

type Props = {
  identities: IdentityDraft[];
  fallbackName: string;
  fallbackAddress: string;
  errors: Record<string, string>;
  onChange: (next: IdentityDraft[]) => void;
};

/**
 * From name, from address, reply-to and signature, per identity. No identities means "the account's name and
 * address".
 */
export function IdentitiesEditor({ identities, fallbackName, fallbackAddress, errors, onChange }: Props) {
  const update = (key: string, patch: Partial<IdentityDraft>) => {
    onChange(identities.map((i) => (i.key === key ? { ...i, ...patch } : i)));
  };
  const add = () => {
    onChange([
      ...identities,
      {
        key: newKey(),
        fromName: identities.length === 0 ? fallbackName : '',
        fromAddress: identities.length === 0 ? fallbackAddress : '',
        replyTo: '',
        signature: '',
      },
    ]);
  };
  return (
    <fieldset className="fieldset">
      <legend>Identities</legend>
      {identities.length === 0 ? (
        <p className="muted">
          Mail goes out as {fallbackName || 'the account name'} &lt;{fallbackAddress || 'the email address'}&gt;. Add
          identities to send under other names or addresses.
        </p>
      ) : null}
      {identities.map((identity, index) => (
        <div key={identity.key} className="identity" role="group" aria-label={`Identity ${index + 1}`}>
          <div className="form-grid">
            <Field label="From name" error={errors[`identities.${index}.fromName`]}>
              <input value={identity.fromName} onChange={(e) => update(identity.key, { fromName: e.target.value })} />
            </Field>
            <Field label="From address" error={errors[`identities.${index}.fromAddress`]}>
              <input
                type="email"
                value={identity.fromAddress}
                onChange={(e) => update(identity.key, { fromAddress: e.target.value })}
                spellCheck={false}
              />
            </Field>
            <Field
              label="Reply-To"
              error={errors[`identities.${index}.replyTo`]}
              help="Optional: where replies should go."
            >
              <input
                type="email"
                value={identity.replyTo}
                onChange={(e) => update(identity.key, { replyTo: e.target.value })}
                spellCheck={false}
              />
            </Field>
            <Field label="Signature" error={errors[`identities.${index}.signature`]}>
              <textarea
                rows={2}
                value={identity.signature}
                onChange={(e) => update(identity.key, { signature: e.target.value })}
              />
            </Field>
          </div>
          <button
            type="button"
            className="button link"
            onClick={() => onChange(identities.filter((i) => i.key !== identity.key))}
            aria-label={`Remove identity ${index + 1}`}
          >
            Remove identity
          </button>
        </div>
      ))}
      <button type="button" className="button" onClick={add}>
        Add identity
      </button>
    </fieldset>
  );
}

import { useEffect, useId, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { formatRecipient, parseRecipients, type ParsedRecipient } from '../../../src-main/shared/address-list.ts';
import { useApi } from '../../api/api-context.tsx';

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** What is typed but not yet a chip, so Send and autosave do not miss it. */
  onTyping?: (text: string) => void;
  error?: string | undefined;
  autoFocus?: boolean;
};

/** A comma inside "Doe, Jane" is part of a name, not a separator. */
function insideQuotes(text: string): boolean {
  return (text.match(/"/g)?.length ?? 0) % 2 === 1;
}

/** The list as chips: what is parsed becomes chips, what is still being typed stays text. */
function split(value: string): ParsedRecipient[] {
  return parseRecipients(value);
}

/**
 * To, Cc or Bcc as chips. Typing a comma, semicolon or Enter (or pasting a list) turns what was
 * typed into chips; each invalid one is marked with the reason; Backspace in the empty box
 * takes the last chip back for editing. Suggestions come from addresses written to before.
 */
export function RecipientField({ label, value, onChange, onTyping, error, autoFocus }: Props) {
  const api = useApi();
  const id = useId();
  const [typing, setTypingState] = useState('');
  const setTyping = (text: string) => {
    setTypingState(text);
    onTyping?.(text);
  };
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const chips = split(value);

  useEffect(() => {
    if (typing.trim().length < 1) return;
    let current = true;
    void api['compose.recipients']({ prefix: typing }).then((result) => {
      if (current && result.ok) setSuggestions(result.value);
    });
    return () => {
      current = false;
    };
  }, [api, typing]);

  const commit = (text: string, rest = '') => {
    const added = split(text);
    if (added.length > 0) onChange([...chips, ...added].map(formatRecipient).join(', '));
    setTyping(rest);
  };
  const remove = (index: number) => {
    onChange(
      chips
        .filter((_, i) => i !== index)
        .map(formatRecipient)
        .join(', '),
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // A comma or semicolon inside a quoted name ("Doe, Jane") is part of the name.
    const separator = event.key === ',' || event.key === ';';
    if (separator && insideQuotes(typing)) return;
    if ((event.key === 'Enter' || separator || event.key === 'Tab') && typing.trim()) {
      if (event.key !== 'Tab') event.preventDefault();
      commit(typing);
    } else if (event.key === 'Backspace' && typing === '' && chips.length > 0) {
      event.preventDefault();
      const last = chips[chips.length - 1];
      remove(chips.length - 1);
      if (last) setTyping(formatRecipient(last));
    }
  };
  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text');
    if (/[,;\n]/.test(text)) {
      event.preventDefault();
      commit(`${typing} ${text}`);
    }
  };

  const invalid = chips.filter((c) => c.problem);
  const errorId = `${id}-error`;
  const problemsId = `${id}-problems`;
  return (
    <div className={`field recipients${error || invalid.length ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="chip-box">
        <ul className="chips" aria-label={`${label} recipients`}>
          {chips.map((chip, index) => (
            <li
              key={`${chip.address}-${index}`}
              className={`chip${chip.problem ? ' chip-invalid' : ''}`}
              title={chip.problem ? `${chip.address} ${chip.problem}` : chip.address}
            >
              <span>{chip.name || chip.address}</span>
              {chip.problem ? <span className="sr-only"> (not valid: {chip.problem})</span> : null}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${chip.address}`}
                onClick={() => {
                  remove(index);
                  // The button goes with its chip: the focus stays in this field, not on the page.
                  input.current?.focus();
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          ref={input}
          id={id}
          value={typing}
          list={`${id}-suggestions`}
          onChange={(e) => {
            const next = e.target.value;
            // A separator typed (or entered without key events, as input methods do) ends the
            // recipients before it; choosing a suggestion makes a chip at once.
            const cut = Math.max(next.lastIndexOf(','), next.lastIndexOf(';'));
            if (suggestions.includes(next)) commit(next);
            else if (cut >= 0 && !insideQuotes(next.slice(0, cut))) {
              commit(next.slice(0, cut), next.slice(cut + 1).trimStart());
            } else setTyping(next);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => typing.trim() && commit(typing)}
          placeholder={chips.length === 0 ? 'name@example.org' : ''}
          spellCheck={false}
          autoComplete="off"
          autoFocus={autoFocus}
          aria-invalid={error || invalid.length ? true : undefined}
          aria-describedby={
            [error ? errorId : null, invalid.length ? problemsId : null].filter(Boolean).join(' ') || undefined
          }
        />
        <datalist id={`${id}-suggestions`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </div>
      {invalid.length > 0 ? (
        <ul className="field-error" id={problemsId}>
          {invalid.map((c) => (
            <li key={c.address}>
              “{c.address}” {c.problem}.
            </li>
          ))}
        </ul>
      ) : null}
      {chips.some((c) => c.needsSmtpUtf8 && !c.problem) ? (
        <p className="field-help">
          Addresses with non-ASCII characters before the @ need a server that offers SMTPUTF8; Posthorn checks before
          sending.
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

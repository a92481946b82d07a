import type { Autoconfig } from '../../../src-main/shared/schemas/accounts.ts';

const SOURCE: Record<Autoconfig['source'], string> = {
  preset: 'Known provider',
  srv: "Your domain's DNS (SRV)",
  guess: 'A guess',
};

/** Where the detected settings came from, so the person knows how far to trust them. */
export function AutoconfigNotice({ found }: { found: Autoconfig }) {
  return (
    <div className={`notice ${found.source === 'guess' ? 'notice-warn' : 'notice-info'}`} role="status">
      <p>
        <strong>Settings from: {SOURCE[found.source]}</strong> · {found.sourceDetail}
      </p>
      {found.notes.map((note) => (
        <p key={note} className="notice-hint">
          {note}
        </p>
      ))}
    </div>
  );
}

/** A small padlock drawn inline, so it shows on systems without an emoji font. */
export function LockIcon({ title }: { title?: string }) {
  return (
    <svg
      className="lock-icon"
      width="10"
      height="12"
      viewBox="0 0 10 12"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      <path d="M2.5 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <rect x="1" y="5" width="8" height="6.2" rx="1.2" fill="currentColor" />
    </svg>
  );
}

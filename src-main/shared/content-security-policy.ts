/**
 * The one Content-Security-Policy of the interface, in Electron (response header) and browser
 * mode (bridge header): our own scripts and styles, nothing remote, no framing, no forms.
 * `blob:` images are the composer's own previews of files the person added (inline images).
 * src-renderer/index.html repeats it as a meta tag, since HTML cannot import it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

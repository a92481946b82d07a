/**
 * Numbers in words, the same everywhere a person reads them (the page, notifications, errors).
 * Pure: the renderer and the core both use it.
 */

/** "1 message", "3 messages", "1,204 recipients"; give the plural when it is not the word plus "s". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** The word that agrees with a count: choose(n, 'is', 'are'), choose(n, 'it', 'them'). */
export function choose(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** A size as a person reads it: "512 bytes", "12 KB", "3.4 MB", "48 MB" (1 KB = 1024 bytes, as file managers count). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / 1024 / 1024;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb).toLocaleString('en')} MB`;
}

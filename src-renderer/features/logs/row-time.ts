const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When a message in the Logs last changed, short enough for a list row: the time for today,
 * day and time for the last week, the date beyond that (in the person's locale).
 */
export function formatRowTime(at: number, now: number = Date.now(), locale?: string): string {
  const when = new Date(at);
  const sameDay = new Date(now).toDateString() === when.toDateString();
  if (sameDay) return when.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (now - at < 6 * DAY_MS && at <= now)
    return when.toLocaleString(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return when.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

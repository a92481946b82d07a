const DAY_MS = 24 * 60 * 60 * 1000;

/** One formatter per locale and style: building an Intl formatter per row made scrolling stutter. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, style: 'time' | 'weekday' | 'date'): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${style}`;
  let found = formatters.get(key);
  if (!found) {
    const options: Intl.DateTimeFormatOptions =
      style === 'time'
        ? { hour: '2-digit', minute: '2-digit' }
        : style === 'weekday'
          ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
          : { year: 'numeric', month: 'short', day: 'numeric' };
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

/**
 * When a message in the Logs last changed, short enough for a list row: the time for today,
 * day and time for the last week, the date beyond that (in the person's locale).
 */
export function formatRowTime(at: number, now: number = Date.now(), locale?: string): string {
  const when = new Date(at);
  if (new Date(now).toDateString() === when.toDateString()) return formatter(locale, 'time').format(when);
  if (now - at < 6 * DAY_MS && at <= now) return formatter(locale, 'weekday').format(when);
  return formatter(locale, 'date').format(when);
}

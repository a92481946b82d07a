import type { Attempt, OutboxItem } from '../../shared/schemas/outbox.ts';
import type { TranscriptLine } from '../../shared/schemas/smtp.ts';

export type ExportOptions = { safe: boolean; hideHosts: boolean };
export type ExportContext = {
  item: OutboxItem;
  attempt: Attempt;
  lines: readonly TranscriptLine[];
  username: string;
  host: string;
  ehloName: string;
};

const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * "Safe to share": addresses become stable placeholders (the sender, then recipient-1, -2, …
 * in order of appearance), the login name goes, and, if asked, the server and EHLO host names
 * too. The same input always maps to the same placeholder within one export.
 */
export function makeScrubber(
  context: Pick<ExportContext, 'item' | 'username' | 'host' | 'ehloName'>,
  options: ExportOptions,
): (text: string) => string {
  if (!options.safe) return (text) => text;
  const names = new Map<string, string>();
  names.set(context.item.from.toLowerCase(), 'sender@example.invalid');
  context.item.to.forEach((address, i) => names.set(address.toLowerCase(), `recipient-${i + 1}@example.invalid`));
  let others = 0;
  const hosts = options.hideHosts ? [context.host, context.ehloName].filter((h) => h && h.length > 2) : [];
  return (text) => {
    let out = text.replace(EMAIL, (match) => {
      const key = match.toLowerCase();
      if (!names.has(key)) names.set(key, `address-${++others}@example.invalid`);
      return names.get(key) as string;
    });
    if (context.username && !context.username.includes('@')) out = out.split(context.username).join('‹user›');
    hosts.forEach((host, i) => {
      out = out.split(host).join(i === 0 ? 'smtp.example.invalid' : 'client.example.invalid');
    });
    if (options.hideHosts) out = out.replace(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '192.0.2.1');
    return out;
  };
}

const ms = (t: number) => `${t < 0 ? '-' : '+'}${Math.abs(t).toFixed(1)}ms`.padStart(10);

/** swaks-like: "<-" server, " ->" client, "<~"/" ~>" inside TLS, "===" notes, "***" errors. */
export function transcriptAsText(context: ExportContext, options: ExportOptions): string {
  const scrub = makeScrubber(context, options);
  let secure = false;
  const out: string[] = [
    `=== Posthorn transcript · ${scrub(context.item.subject)}`,
    `=== Message-ID ${scrub(context.item.messageId)} · attempt started ${new Date(context.attempt.startedAt).toISOString()} · outcome ${context.attempt.outcome ?? 'in progress'}`,
  ];
  for (const line of context.lines) {
    if (line.dir === 'tls') secure = true;
    const arrow = { C: secure ? ' ~>' : ' ->', S: secure ? '<~ ' : '<- ', info: '===', tls: '===', error: '***' }[
      line.dir
    ];
    const text = scrub(line.text).split('\n');
    text.forEach((part, i) => out.push(`${i === 0 ? ms(line.t) : ' '.repeat(10)} ${arrow} ${part}`));
  }
  return `${out.join('\n')}\n`;
}

export function transcriptAsJson(context: ExportContext, options: ExportOptions): string {
  const scrub = makeScrubber(context, options);
  const item = {
    ...context.item,
    from: scrub(context.item.from),
    to: context.item.to.map(scrub),
    subject: scrub(context.item.subject),
    messageId: scrub(context.item.messageId),
    delivered: context.item.delivered.map(scrub),
    rejected: context.item.rejected.map((r) => ({ address: scrub(r.address), reply: scrub(r.reply) })),
    lastReply: context.item.lastReply && scrub(context.item.lastReply),
    lastError: context.item.lastError && { ...context.item.lastError, message: scrub(context.item.lastError.message) },
  };
  const attempt = {
    ...context.attempt,
    response: context.attempt.response && scrub(context.attempt.response),
    error: context.attempt.error && { ...context.attempt.error, message: scrub(context.attempt.error.message) },
  };
  return `${JSON.stringify({ format: 'posthorn-transcript/1', safe: options.safe, message: item, attempt, lines: context.lines.map((l) => ({ ...l, text: scrub(l.text) })) }, null, 2)}\n`;
}

import { makeShareScrubber, shareFacts, type ShareContext, type ShareOptions } from './share-scrubber.ts';

export type ExportOptions = ShareOptions;
export type ExportContext = ShareContext;

const ms = (t: number) => `${t < 0 ? '-' : '+'}${Math.abs(t).toFixed(1)}ms`.padStart(10);

/** swaks-like: "<-" server, " ->" client, "<~"/" ~>" inside TLS, "===" notes, "***" errors. */
export function transcriptAsText(context: ExportContext, options: ExportOptions): string {
  const scrub = makeShareScrubber(context, options);
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
  const scrub = makeShareScrubber(context, options);
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
    pending: context.item.pending.map(scrub),
  };
  const attempt = {
    ...context.attempt,
    facts: shareFacts(context.attempt.facts, scrub, options),
    response: context.attempt.response && scrub(context.attempt.response),
    error: context.attempt.error && { ...context.attempt.error, message: scrub(context.attempt.error.message) },
  };
  return `${JSON.stringify({ format: 'posthorn-transcript/1', safe: options.safe, message: item, attempt, lines: context.lines.map((l) => ({ ...l, text: scrub(l.text) })) }, null, 2)}\n`;
}

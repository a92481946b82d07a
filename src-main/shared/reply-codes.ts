import { BY_BASIC_CODE } from './reply-table-basic.ts';
import { BY_ENHANCED_CODE } from './reply-table-enhanced.ts';
import { EXACT_PAIRS } from './reply-table-pairs.ts';

/**
 * What SMTP replies mean, in plain language, with the likely fix: one table for the whole app
 * (the outbox detail, the transcript's diagnosis card, and later the logs). Basic codes per
 * RFC 5321, enhanced status codes per RFC 3463, plus the provider-specific ones people meet.
 * Plain data, no dependencies: the renderer explains lines locally. The rows are in
 * reply-table-pairs.ts, reply-table-enhanced.ts and reply-table-basic.ts, looked up in that order.
 */
export type Diagnosis = {
  /** What it means, short. */
  title: string;
  /** What it means, in a sentence a person understands. */
  meaning: string;
  /** What to do about it; null when nothing needs doing. */
  fix: string | null;
  severity: 'ok' | 'temporary' | 'permanent';
};

/** One row of the table: a diagnosis and the reply it explains (a pair, an enhanced code, or a basic code). */
export type ReplyEntry = Diagnosis & { basic?: number; enhanced?: string };

/** "550 5.1.1 <x>: Recipient address rejected" → { basic: 550, enhanced: '5.1.1' } */
export function parseReply(reply: string): { basic: number | null; enhanced: string | null } {
  const match = /^(\d{3})(?:[ -]([245]\.\d{1,3}\.\d{1,3}))?/.exec(reply.trim());
  return { basic: match?.[1] ? Number(match[1]) : null, enhanced: match?.[2] ?? null };
}

/** The best explanation of a reply: exact pair, then enhanced code, then basic code, then its class. */
export function diagnose(reply: string): Diagnosis | null {
  const { basic, enhanced } = parseReply(reply);
  if (basic === null) return null;
  const strip = ({ basic: _b, enhanced: _e, ...d }: ReplyEntry): Diagnosis => d;
  const exact = EXACT_PAIRS.find((e) => e.basic === basic && e.enhanced === enhanced);
  if (exact) return strip(exact);
  const byEnhanced = enhanced ? BY_ENHANCED_CODE.find((e) => e.enhanced === enhanced) : undefined;
  if (byEnhanced) return strip(byEnhanced);
  const byBasic = BY_BASIC_CODE.find((e) => e.basic === basic);
  if (byBasic) return strip(byBasic);
  if (basic >= 500)
    return {
      title: 'Refused',
      meaning: 'The server refused this step for good.',
      fix: "Read the server's words after the code.",
      severity: 'permanent',
    };
  if (basic >= 400)
    return {
      title: 'Temporary problem',
      meaning: 'The server asks to try again later.',
      fix: 'Posthorn retries later.',
      severity: 'temporary',
    };
  return { title: 'OK', meaning: 'The server accepted this step.', fix: null, severity: 'ok' };
}

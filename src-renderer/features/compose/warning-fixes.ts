import type { ComposeState } from './compose-state.ts';

/**
 * Every recipient at domain `from` moved to domain `to` (the "did you mean gmail.com?" fix):
 * only whole domains, at the end of an address, in To, Cc and Bcc alike.
 */
export function withDomainReplaced(
  lists: Pick<ComposeState, 'to' | 'cc' | 'bcc'>,
  from: string,
  to: string,
): Pick<ComposeState, 'to' | 'cc' | 'bcc'> {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`@${escaped}(?=$|[>\\s,;])`, 'gi');
  return {
    to: lists.to.replace(pattern, `@${to}`),
    cc: lists.cc.replace(pattern, `@${to}`),
    bcc: lists.bcc.replace(pattern, `@${to}`),
  };
}

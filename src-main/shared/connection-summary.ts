import type { ConnectionFacts } from './schemas/outbox.ts';
import { formatBytes } from './wording.ts';

/**
 * An attempt's connection in one line: "127.0.0.1:587 · TLS 1.3 · CN=smtp.example.org · SIZE 25 MB
 * · queued as 4Q9XkT". An attempt that never reached the server says so, rather than "not
 * encrypted" (a STARTTLS account that never connected was never in the clear either).
 */
export function connectionSummary(facts: ConnectionFacts): string {
  if (!facts.remoteAddress) return 'never connected';
  const parts = [`${facts.remoteAddress}:${facts.remotePort ?? ''}`];
  if (facts.tls) parts.push(`${(facts.tls.protocol ?? 'TLS').replace('TLSv', 'TLS ')} · ${facts.tls.subject}`);
  else parts.push('not encrypted');
  if (facts.capabilities?.size) parts.push(`SIZE ${formatBytes(facts.capabilities.size)}`);
  if (facts.queueId) parts.push(`queued as ${facts.queueId}`);
  return parts.join(' · ');
}

import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

export type SrvAnswer = { priority: number; weight: number; port: number; target: string };

export type DnsServer = { address: string; queries: string[]; close(): Promise<void> };

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) answering SRV, MX, A, AAAA and TXT questions from tables;
 * anything else gets NXDOMAIN. Enough for RFC 6186 autoconfig tests, with no outside DNS.
 */
export type MailRecords = {
  mx?: Record<string, { exchange: string; preference: number }[]>;
  a?: Record<string, string[]>;
  aaaa?: Record<string, string[]>;
  txt?: Record<string, string[]>;
};

export async function startDnsServer(records: Record<string, SrvAnswer[]>, mail: MailRecords = {}): Promise<DnsServer> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (message, remote) => {
    let query: packet.Packet;
    try {
      query = packet.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    queries.push(`${question.type} ${question.name}`);
    const name = question.name.toLowerCase();
    const answers: packet.Answer[] =
      question.type === 'SRV'
        ? (records[name] ?? []).map((srv) => ({
            type: 'SRV' as const,
            name: question.name,
            ttl: 60,
            class: 'IN' as const,
            data: srv,
          }))
        : question.type === 'MX'
          ? (mail.mx?.[name] ?? []).map((mx) => ({
              type: 'MX' as const,
              name: question.name,
              ttl: 60,
              class: 'IN' as const,
              data: mx,
            }))
          : question.type === 'A' || question.type === 'AAAA'
            ? ((question.type === 'A' ? mail.a : mail.aaaa)?.[name] ?? []).map((ip) => ({
                type: question.type as 'A',
                name: question.name,
                ttl: 60,
                class: 'IN' as const,
                data: ip,
              }))
            : question.type === 'TXT'
              ? (mail.txt?.[name] ?? []).map((text) => ({
                  type: 'TXT' as const,
                  name: question.name,
                  ttl: 60,
                  class: 'IN' as const,
                  data: text,
                }))
              : [];
    // A name that exists with other record types answers "no data"; an unknown one NXDOMAIN.
    const exists = [records, mail.mx, mail.a, mail.aaaa, mail.txt].some((table) => name in (table ?? {}));
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | (exists ? 0 : 3), // rcode 3 = NXDOMAIN
      questions: [question],
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

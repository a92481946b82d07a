import { describe, expect, it } from 'vitest';
import { connectionSummary } from '../../../src-main/shared/connection-summary.ts';
import type { ConnectionFacts } from '../../../src-main/shared/schemas/outbox.ts';

const none: ConnectionFacts = {
  remoteAddress: null,
  remotePort: null,
  greeting: null,
  capabilities: null,
  tls: null,
  queueId: null,
};

describe('the connection in one line', () => {
  it('an attempt that never reached the server says so (not "not encrypted")', () => {
    expect(connectionSummary(none)).toBe('never connected');
  });

  it('a plain connection, and a TLS one with its size and queue id', () => {
    expect(connectionSummary({ ...none, remoteAddress: '127.0.0.1', remotePort: 25 })).toBe(
      '127.0.0.1:25 · not encrypted',
    );
    const tls = {
      protocol: 'TLSv1.3',
      cipher: null,
      subject: 'CN=mx',
      issuer: '',
      validFrom: '',
      validTo: '',
      fingerprint256: '',
    };
    const caps = { size: 25 * 1024 * 1024, eightBitMime: true, smtpUtf8: false, pipelining: true, dsn: false };
    const capabilities = { ...caps, enhancedStatusCodes: true, startTls: true, auth: [], raw: [] };
    expect(
      connectionSummary({ ...none, remoteAddress: '10.0.0.1', remotePort: 587, tls, capabilities, queueId: 'Q1' }),
    ).toBe('10.0.0.1:587 · TLS 1.3 · CN=mx · SIZE 25 MB · queued as Q1');
  });
});

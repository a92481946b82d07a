import { appError, type AppError } from '../../shared/errors.ts';
import type { Timeouts } from '../../shared/schemas/accounts.ts';
import type { TranscriptLine } from '../../shared/schemas/smtp.ts';
import type { MailDomainResolver } from '../compose/mail-domain.ts';
import { attemptReport, type AttemptHooks, type AttemptReport } from '../smtp/attempt-report.ts';
import type { SmtpTarget } from '../smtp/connection-options.ts';
import { SmtpSession, type MessageSource, type SendEnvelope } from '../smtp/smtp-session.ts';
import { TranscriptRecorder } from '../smtp/transcript-recorder.ts';
import { mtaStsPolicy, mxAllowed, type StsDeps } from './mta-sts.ts';
import { addressesOf, planMx, type MxHost, type MxPlan } from './mx-plan.ts';

export type DirectDeliveryDeps = {
  resolver: MailDomainResolver;
  /** Port 25 in use; a setting so tests need not bind it. */
  port: number;
  /** MTA-STS (RFC 8461): where policies are fetched (443) and the policies kept for their max_age. */
  sts: Omit<StsDeps, 'resolver' | 'trustedCertificates'>;
  ehloName?: string;
  timeouts?: Partial<Timeouts>;
  trustedCertificates: readonly string[];
};

/**
 * At most this many MX hosts, and addresses of each, per attempt: a domain publishing forty MX
 * with eight addresses each must not hold a connection slot for hours (RFC 5321 §5.1 asks for
 * at least two tries; the next attempt starts over).
 */
const MAX_HOSTS = 6;
const MAX_ADDRESSES = 2;
/** Misses named in the error a person reads; the transcript has them all. */
const MISSES_NAMED = 4;

/** Why one MX could not be used, in a few words ("timed out", "refused the connection", "421 …"). */
type Miss = { host: string; address: string; why: string };

/**
 * A server that would not take the conversation: the next MX is tried (RFC 5321 §5.1). That is
 * no connection or no greeting, a greeting that refuses (4xx, or 554 "no service here", which
 * MTAs skip too), or a 421 "closing" before the message began.
 */
function unreachable(report: AttemptReport): boolean {
  if (report.phase === 'connect' || report.phase === 'greeting') return true;
  return report.replyCode === 421 && ['ehlo', 'starttls', 'auth'].includes(report.phase);
}

/**
 * The MX hosts an attempt tries: the best `MAX_HOSTS` first, the next ones on the next attempt,
 * and so on round, so a working server behind many dead ones is reached in the end.
 */
export function hostsForAttempt<T>(hosts: readonly T[], attempt: number): T[] {
  if (hosts.length <= MAX_HOSTS) return [...hosts];
  const start = (attempt * MAX_HOSTS) % hosts.length;
  return [...hosts, ...hosts].slice(start, start + MAX_HOSTS);
}

function briefly(report: AttemptReport): string {
  if (report.response) return report.response.split('\n')[0] ?? report.response;
  return report.error?.message ?? 'no answer';
}

function listed(misses: readonly Miss[]): string {
  const named = misses
    .slice(0, MISSES_NAMED)
    .map((m) => `${m.host} [${m.address}]: ${m.why.slice(0, 200)}`)
    .join('; ');
  return misses.length > MISSES_NAMED ? `${named}; and ${misses.length - MISSES_NAMED} more` : named;
}

/** Every MX (and address) failed before the conversation: most often, outgoing port 25 is blocked. */
function noneReachable(domain: string, port: number, misses: readonly Miss[]): AppError {
  const tried = listed(misses);
  const silent = misses.every((m) => /timed out|ETIMEDOUT|ECONNREFUSED|refused|EHOSTUNREACH|ENETUNREACH/i.test(m.why));
  const tls = misses.some((m) => /TLS|certificate|SSL/i.test(m.why));
  return appError(
    'SMTP_CONNECTION',
    `None of ${domain}'s mail servers took the message on port ${port} (${tried}).`,
    silent
      ? `Outgoing port ${port} looks blocked on this network (most home and mobile networks block it). Send through an account instead; Posthorn tries again later.`
      : tls
        ? "A server's encryption (STARTTLS) did not work, and Posthorn does not fall back to sending unencrypted. Send through an account instead; Posthorn tries again later."
        : 'Posthorn tries again later; the servers may be busy or not answering. Sending through an account avoids this.',
    { domain, port, portBlocked: silent },
  );
}

/** A report for an attempt that ended before any connection (no mail server, DNS trouble). */
function withoutConnection(
  recorder: TranscriptRecorder,
  outcome: 'failed' | 'deferred',
  error: AppError,
): AttemptReport {
  recorder.note('error', error.message);
  return attemptReport(recorder, { outcome, replyCode: null, enhancedCode: null, response: null, error });
}

/** A domain with no server to try: what that means for the leg (fails for good, or waits for DNS). */
function noHosts(plan: Exclude<MxPlan, { kind: 'hosts' }>): ['failed' | 'deferred', AppError] {
  if (plan.kind === 'null-mx')
    return [
      'failed',
      appError(
        'SMTP_REJECTED',
        `${plan.domain} takes no mail: it publishes a null MX (RFC 7505).`,
        'Check the address; nobody at this domain can receive mail.',
        { domain: plan.domain },
      ),
    ];
  if (plan.kind === 'no-domain')
    return [
      'failed',
      appError('SMTP_REJECTED', `No mail server exists for ${plan.domain}.`, 'Check the spelling of the address.', {
        domain: plan.domain,
      }),
    ];
  return ['deferred', appError('SMTP_CONNECTION', plan.reason, 'Posthorn tries again later.', { domain: plan.domain })];
}

/**
 * Direct delivery of one leg of a message (its recipients at one domain, issue 21): the
 * domain's MX hosts by preference, each of their addresses in turn, until one takes the
 * conversation; a server that is unreachable or answers 4xx before the conversation makes
 * way for the next. The transcript begins with the DNS answers and every server tried.
 */
export async function deliverDirect(
  domain: string,
  envelope: SendEnvelope,
  message: MessageSource,
  deps: DirectDeliveryDeps,
  hooks: AttemptHooks = {},
  /** Attempts made so far for this leg: which MX hosts it is the turn of, when there are many. */
  attempt = 0,
): Promise<AttemptReport> {
  const notes = new TranscriptRecorder();
  const plan = await planMx(domain, deps.resolver);
  for (const line of plan.lines) notes.note('info', line);
  if (plan.kind !== 'hosts') return withoutConnection(notes, ...noHosts(plan));
  // MTA-STS: in "enforce", only the MX hosts the policy names, each with a verified certificate.
  const sts = await mtaStsPolicy(plan.domain, {
    ...deps.sts,
    resolver: deps.resolver,
    trustedCertificates: deps.trustedCertificates,
  });
  for (const line of sts.lines) notes.note('info', line);
  const enforce = sts.policy?.mode === 'enforce' ? sts.policy : null;
  const hosts = enforce ? plan.hosts.filter((host) => mxAllowed(enforce, host.name)) : plan.hosts;
  for (const host of plan.hosts.filter((h) => !hosts.includes(h)))
    notes.note('info', `Skipping MX ${host.name}: the domain's MTA-STS policy does not name it`);
  if (hosts.length === 0)
    return withoutConnection(
      notes,
      'deferred',
      appError(
        'SMTP_TLS',
        `None of ${plan.domain}'s MX hosts is named by its MTA-STS policy (enforce), so nothing was delivered.`,
        "The domain's policy and its MX records disagree; Posthorn tries again later, or send through an account.",
        { domain: plan.domain, mtaSts: 'enforce' },
      ),
    );
  const misses: Miss[] = [];
  let earlier: { lines: readonly TranscriptLine[]; startedAt: number } = {
    lines: notes.lines,
    startedAt: notes.started,
  };
  const tried = hostsForAttempt(hosts, attempt);
  if (hosts.length > MAX_HOSTS)
    notes.note('info', `Trying ${MAX_HOSTS} of ${hosts.length} MX hosts on this attempt (others on the next)`);
  for (const host of tried) {
    const addresses = (await addressesOf(host.name, deps.resolver)).slice(0, MAX_ADDRESSES);
    const heading = new TranscriptRecorder();
    heading.note('info', describeHost(host, addresses, deps.port));
    earlier = { lines: [...shifted(earlier, heading.started), ...heading.lines], startedAt: heading.started };
    if (addresses.length === 0) misses.push({ host: host.name, address: '-', why: 'no address in DNS' });
    for (const address of addresses) {
      // The session's recorder starts now: its lines are timed from here. The lines before it
      // (DNS, servers tried first) are put in front afterwards, not replayed into the session,
      // whose reading of the exchange must see this server's words only.
      const triedAt = performance.now();
      const opened = await SmtpSession.open(
        target(host, address, deps, enforce !== null),
        `direct:${host.name}:${address}`,
      );
      if ('session' in opened) {
        const report = await opened.session.send(opened.recorder, envelope, message, hooks);
        void opened.session.quit();
        return after(earlier, triedAt, report);
      }
      const report = after(earlier, triedAt, opened.report);
      // Unreachable, or TLS that did not work out (under an enforced policy: a certificate that
      // does not verify): that MX's failure, and the next is tried.
      if (!unreachable(opened.report) && opened.report.error?.code !== 'SMTP_TLS') return report;
      misses.push({ host: host.name, address, why: briefly(opened.report) });
      earlier = { lines: report.lines, startedAt: triedAt };
    }
  }
  const all = new TranscriptRecorder();
  all.prefill(earlier.lines, earlier.startedAt);
  return withoutConnection(
    all,
    'deferred',
    enforce ? noneVerified(plan.domain, misses) : noneReachable(plan.domain, deps.port, misses),
  );
}

/** A server's report with the attempt's earlier lines (DNS, servers tried first) in front. */
function after(
  earlier: { lines: readonly TranscriptLine[]; startedAt: number },
  triedAt: number,
  report: AttemptReport,
): AttemptReport {
  return { ...report, lines: [...shifted(earlier, triedAt), ...report.lines] };
}

/** Lines recorded against one start, re-timed against another (both on the monotonic clock). */
function shifted(from: { lines: readonly TranscriptLine[]; startedAt: number }, to: number): TranscriptLine[] {
  const offset = from.startedAt - to;
  return from.lines.map((line) => ({ ...line, t: Math.round((line.t + offset) * 10) / 10 }));
}

function describeHost(host: MxHost, addresses: readonly string[], port: number): string {
  const which = host.implicit
    ? `${host.name} (no MX: the domain itself)`
    : `MX ${host.name} (preference ${host.preference})`;
  return addresses.length > 0
    ? `Trying ${which}: ${addresses.join(', ')} port ${port}`
    : `Skipping ${which}: it has no address in DNS`;
}

/** An enforced MTA-STS policy and no MX that could be used with a verified certificate: not delivered. */
function noneVerified(domain: string, misses: readonly Miss[]): AppError {
  const tried = listed(misses);
  return appError(
    'SMTP_TLS',
    `${domain} requires verified encryption (MTA-STS enforce), and none of its mail servers offered it (${tried}); nothing was delivered.`,
    'The receiving domain must fix its certificates; Posthorn tries again later. Sending through an account avoids this.',
    { domain, mtaSts: 'enforce' },
  );
}

function target(host: MxHost, address: string, deps: DirectDeliveryDeps, verified: boolean): SmtpTarget {
  return {
    host: address,
    port: deps.port,
    security: 'starttls',
    auth: 'none',
    username: '',
    password: null,
    ...(deps.ehloName ? { ehloName: deps.ehloName } : {}),
    ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
    trustedCertificates: deps.trustedCertificates,
    mx: { mxName: host.name, requireVerifiedTls: verified },
  };
}

/**
 * What SMTP replies mean, in plain language, with the likely fix: one table for the whole app
 * (the outbox detail, the transcript's diagnosis card, and later the logs). Basic codes per
 * RFC 5321, enhanced status codes per RFC 3463, plus the provider-specific ones people meet.
 * Plain data, no dependencies: the renderer explains lines locally.
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

type Entry = Diagnosis & { basic?: number; enhanced?: string };

const E: Entry[] = [
  // Exact pairs first: the same enhanced code means different things under different replies.
  {
    basic: 550,
    enhanced: '5.7.1',
    title: 'Relay denied or sender not allowed',
    meaning:
      'The server will not accept mail from this sender to this recipient through this connection, usually because you are not logged in or the From address is not yours.',
    fix: "Log in (check the account's authentication), and send from an address that belongs to the account.",
    severity: 'permanent',
  },
  {
    basic: 554,
    enhanced: '5.7.1',
    title: 'Rejected as spam or by policy',
    meaning: "The receiving side refused the message because of its content, your address or your server's reputation.",
    fix: 'Do not resend unchanged. Check the message for spam-like content and links; ask the recipient to allow your address, or contact your provider.',
    severity: 'permanent',
  },
  {
    basic: 421,
    enhanced: '4.7.0',
    title: 'Rate limited',
    meaning: 'The server is limiting how fast or how much you send, and closed the connection for now.',
    fix: 'Posthorn retries later. If it keeps happening, lower "Connections at once" for this account or send fewer messages per hour.',
    severity: 'temporary',
  },
  {
    basic: 451,
    enhanced: '4.7.1',
    title: 'Greylisting: try again later',
    meaning: 'The receiving server delays first contact from unknown senders on purpose.',
    fix: 'Nothing: Posthorn retries after a few minutes and it normally goes through.',
    severity: 'temporary',
  },
  {
    basic: 450,
    enhanced: '4.7.1',
    title: 'Greylisting: try again later',
    meaning: 'The receiving server delays first contact from unknown senders on purpose.',
    fix: 'Nothing: Posthorn retries after a few minutes and it normally goes through.',
    severity: 'temporary',
  },
  {
    basic: 534,
    enhanced: '5.7.9',
    title: 'App password needed',
    meaning: 'Your provider does not accept your normal password for SMTP, typically because two-step sign-in is on.',
    fix: "Create an app password in your provider's security settings and use it for this account.",
    severity: 'permanent',
  },
  {
    basic: 530,
    enhanced: '5.7.0',
    title: 'Login or encryption required first',
    meaning: 'The server wants you to start TLS (STARTTLS) or log in before sending.',
    fix: 'Choose STARTTLS or TLS, and make sure the account logs in.',
    severity: 'permanent',
  },

  // Enhanced codes (RFC 3463 and providers).
  {
    enhanced: '2.0.0',
    title: 'Accepted',
    meaning: 'The server took responsibility for the message.',
    fix: null,
    severity: 'ok',
  },
  {
    enhanced: '2.1.0',
    title: 'Sender accepted',
    meaning: 'The server accepted the sender address.',
    fix: null,
    severity: 'ok',
  },
  {
    enhanced: '2.1.5',
    title: 'Recipient accepted',
    meaning: 'The server accepted this recipient.',
    fix: null,
    severity: 'ok',
  },
  { enhanced: '2.7.0', title: 'Logged in', meaning: 'Authentication succeeded.', fix: null, severity: 'ok' },
  {
    enhanced: '4.2.2',
    title: 'Mailbox full (for now)',
    meaning: "The recipient's mailbox is over its quota.",
    fix: 'Posthorn retries; if it keeps failing, tell the recipient another way.',
    severity: 'temporary',
  },
  {
    enhanced: '4.3.0',
    title: 'Server problem (temporary)',
    meaning: 'The receiving system has a temporary problem.',
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    enhanced: '4.3.2',
    title: 'Server busy or shutting down',
    meaning: 'The server is not accepting messages right now.',
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    enhanced: '4.4.1',
    title: 'No answer from the next server',
    meaning: "Your server could not reach the recipient's server yet.",
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    enhanced: '4.4.2',
    title: 'Connection dropped',
    meaning: 'The connection broke during the transaction.',
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    enhanced: '4.7.0',
    title: 'Temporarily refused by policy',
    meaning: 'The server refused for now, often because of sending limits or a temporary block.',
    fix: 'Posthorn retries later; if it persists, send less at once.',
    severity: 'temporary',
  },
  {
    enhanced: '4.7.1',
    title: 'Temporarily refused (often greylisting)',
    meaning: 'The receiving side asks you to come back later.',
    fix: 'Nothing: Posthorn retries later.',
    severity: 'temporary',
  },
  {
    enhanced: '5.1.0',
    title: 'Bad recipient address',
    meaning: "The recipient's address is wrong.",
    fix: 'Check the address for typos.',
    severity: 'permanent',
  },
  {
    enhanced: '5.1.1',
    title: 'No such user',
    meaning: "The recipient's mailbox does not exist on that server.",
    fix: 'Check the address for typos, or ask the recipient for the right one.',
    severity: 'permanent',
  },
  {
    enhanced: '5.1.2',
    title: 'No such domain',
    meaning: 'The part after the @ does not accept mail or does not exist.',
    fix: 'Check the domain for typos (gmial.com, outlok.com).',
    severity: 'permanent',
  },
  {
    enhanced: '5.1.3',
    title: 'Malformed address',
    meaning: 'The address is not written correctly.',
    fix: 'Correct the address.',
    severity: 'permanent',
  },
  {
    enhanced: '5.1.8',
    title: "Sender's domain refused",
    meaning: 'The receiving side does not accept mail from your domain (it may not exist or have no DNS records).',
    fix: 'Check the From address; your domain needs valid DNS (MX/A, SPF).',
    severity: 'permanent',
  },
  {
    enhanced: '5.2.1',
    title: 'Mailbox disabled',
    meaning: "The recipient's mailbox exists but does not accept mail.",
    fix: 'Contact the recipient another way.',
    severity: 'permanent',
  },
  {
    enhanced: '5.2.2',
    title: 'Mailbox full',
    meaning: "The recipient's mailbox is over its quota.",
    fix: 'Tell the recipient another way, or try again much later.',
    severity: 'permanent',
  },
  {
    enhanced: '5.3.4',
    title: 'Message too large',
    meaning: 'The message is bigger than the server accepts.',
    fix: 'Remove or shrink attachments (attachments grow by about a third when sent), or share a link instead.',
    severity: 'permanent',
  },
  {
    enhanced: '5.5.1',
    title: 'Command not accepted',
    meaning: 'The server did not accept a command at this point.',
    fix: 'Usually a server-side rule; check the account settings or contact the provider.',
    severity: 'permanent',
  },
  {
    enhanced: '5.5.2',
    title: 'Syntax error',
    meaning: 'The server could not understand a command.',
    fix: 'Check the addresses for unusual characters.',
    severity: 'permanent',
  },
  {
    enhanced: '5.7.0',
    title: 'Refused for security reasons',
    meaning: 'The server refused because of a security policy (encryption, login or permissions).',
    fix: "Use STARTTLS or TLS and log in; check the provider's rules.",
    severity: 'permanent',
  },
  {
    enhanced: '5.7.1',
    title: 'Not allowed',
    meaning: 'The server refused the message or sender by policy.',
    fix: 'Log in, send from your own address, and check the content.',
    severity: 'permanent',
  },
  {
    enhanced: '5.7.8',
    title: 'Wrong password (or an app password needed)',
    meaning: 'The server refused the username or password.',
    fix: 'Check the username (often the full address) and password. With two-step sign-in, use an app password.',
    severity: 'permanent',
  },
  {
    enhanced: '5.7.9',
    title: 'App password or stronger login needed',
    meaning: 'The provider wants a different kind of login than the one used.',
    fix: 'Create an app password, or use XOAUTH2 with an access token.',
    severity: 'permanent',
  },
  {
    enhanced: '5.7.26',
    title: 'Failed sender authentication (SPF/DKIM/DMARC)',
    meaning: 'The receiving side could not verify that your server may send for your domain.',
    fix: "Send through your domain's own SMTP server, or fix its SPF, DKIM and DMARC records.",
    severity: 'permanent',
  },
  {
    enhanced: '5.7.57',
    title: 'Not logged in',
    meaning: 'Microsoft 365 requires a login before sending.',
    fix: 'Turn on authentication for this account.',
    severity: 'permanent',
  },
  {
    enhanced: '5.7.60',
    title: 'Not allowed to send as this address',
    meaning: 'Your account may not send with that From address.',
    fix: 'Send from your own address, or ask your administrator for "send as" rights.',
    severity: 'permanent',
  },
  {
    enhanced: '5.7.139',
    title: 'Password login disabled: OAuth only',
    meaning: 'The provider (often Microsoft 365) has switched off basic authentication for SMTP.',
    fix: 'Use XOAUTH2 with an access token, or ask your administrator to allow SMTP AUTH for this mailbox.',
    severity: 'permanent',
  },

  // Basic codes (RFC 5321), when there is no enhanced code or it is not in the table.
  { basic: 220, title: 'Server ready', meaning: 'The server greets and is ready.', fix: null, severity: 'ok' },
  { basic: 221, title: 'Goodbye', meaning: 'The server closes the connection normally.', fix: null, severity: 'ok' },
  { basic: 235, title: 'Logged in', meaning: 'Authentication succeeded.', fix: null, severity: 'ok' },
  { basic: 250, title: 'OK', meaning: 'The server accepted the command.', fix: null, severity: 'ok' },
  {
    basic: 334,
    title: 'Login in progress',
    meaning: 'The server asks for the next part of the login.',
    fix: null,
    severity: 'ok',
  },
  {
    basic: 354,
    title: 'Send the message',
    meaning: 'The server waits for the message content.',
    fix: null,
    severity: 'ok',
  },
  {
    basic: 421,
    title: 'Service not available (for now)',
    meaning: 'The server is closing the connection, usually because it is busy or you are sending too fast.',
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    basic: 450,
    title: 'Mailbox unavailable (for now)',
    meaning: 'The mailbox is busy or temporarily blocked.',
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    basic: 451,
    title: 'Local error (temporary)',
    meaning: 'The server hit a temporary problem while processing.',
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    basic: 452,
    title: 'Not enough storage (for now)',
    meaning: 'The server or mailbox is temporarily out of space, or too many recipients at once.',
    fix: 'Posthorn retries later.',
    severity: 'temporary',
  },
  {
    basic: 500,
    title: 'Command not recognised',
    meaning: 'The server did not understand a command.',
    fix: "Check the server settings; this is rarely your message's fault.",
    severity: 'permanent',
  },
  {
    basic: 501,
    title: 'Bad parameters',
    meaning: 'A command had invalid parameters, often a malformed address.',
    fix: 'Check the addresses.',
    severity: 'permanent',
  },
  {
    basic: 502,
    title: 'Command not implemented',
    meaning: 'The server does not support a command that was used.',
    fix: 'Check the security and authentication settings.',
    severity: 'permanent',
  },
  {
    basic: 503,
    title: 'Bad sequence of commands',
    meaning: 'A command came at the wrong moment, often because an earlier step was refused.',
    fix: 'Look at the earlier replies in the transcript.',
    severity: 'permanent',
  },
  {
    basic: 530,
    title: 'Login required',
    meaning: 'The server wants you to log in (or start TLS) first.',
    fix: 'Turn on authentication and encryption for this account.',
    severity: 'permanent',
  },
  {
    basic: 534,
    title: 'Stronger login needed',
    meaning: 'The login method was too weak for this server.',
    fix: 'Use an app password or XOAUTH2.',
    severity: 'permanent',
  },
  {
    basic: 535,
    title: 'Login refused',
    meaning: 'The server refused the username or password.',
    fix: 'Check the username and password; with two-step sign-in, use an app password.',
    severity: 'permanent',
  },
  {
    basic: 550,
    title: 'Refused',
    meaning: 'The mailbox is unavailable or the action is not allowed (no such user, relay denied, policy).',
    fix: "Read the server's words after the code; check the address and the sender.",
    severity: 'permanent',
  },
  {
    basic: 551,
    title: 'User not local',
    meaning: 'The recipient is not on this server.',
    fix: 'Check the address.',
    severity: 'permanent',
  },
  {
    basic: 552,
    title: 'Too large or over quota',
    meaning: 'The message is too big, or the mailbox is full.',
    fix: 'Shrink attachments, or tell the recipient another way.',
    severity: 'permanent',
  },
  {
    basic: 553,
    title: 'Address not allowed',
    meaning: 'The mailbox name is not allowed (often the sender address).',
    fix: 'Send from an address that belongs to the account.',
    severity: 'permanent',
  },
  {
    basic: 554,
    title: 'Transaction failed',
    meaning: 'The server refused the message, often as spam or by policy.',
    fix: "Read the server's words; do not resend unchanged.",
    severity: 'permanent',
  },
  {
    basic: 555,
    title: 'Parameters not recognised',
    meaning: 'The server did not accept parameters on MAIL FROM or RCPT TO.',
    fix: 'Rare: report it along with the transcript.',
    severity: 'permanent',
  },
];

/** "550 5.1.1 <x>: Recipient address rejected" → { basic: 550, enhanced: '5.1.1' } */
export function parseReply(reply: string): { basic: number | null; enhanced: string | null } {
  const match = /^(\d{3})(?:[ -]([245]\.\d{1,3}\.\d{1,3}))?/.exec(reply.trim());
  return { basic: match?.[1] ? Number(match[1]) : null, enhanced: match?.[2] ?? null };
}

/** The best explanation of a reply: exact pair, then enhanced code, then basic code, then its class. */
export function diagnose(reply: string): Diagnosis | null {
  const { basic, enhanced } = parseReply(reply);
  if (basic === null) return null;
  const strip = ({ basic: _b, enhanced: _e, ...d }: Entry): Diagnosis => d;
  const exact = E.find((e) => e.basic === basic && e.enhanced === enhanced);
  if (exact) return strip(exact);
  const byEnhanced = enhanced ? E.find((e) => e.basic === undefined && e.enhanced === enhanced) : undefined;
  if (byEnhanced) return strip(byEnhanced);
  const byBasic = E.find((e) => e.enhanced === undefined && e.basic === basic);
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

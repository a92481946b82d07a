import type { ReplyEntry } from './reply-codes.ts';

/**
 * Replies whose meaning depends on the pair: the same enhanced code means different things under
 * different basic codes.
 */
export const EXACT_PAIRS: ReplyEntry[] = [
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
];

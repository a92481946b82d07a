import type { AuthMethod, Security } from '../../shared/schemas/accounts.ts';

export type ProviderPreset = {
  provider: string;
  domains: readonly string[];
  host: string;
  port: number;
  security: Security;
  auth?: AuthMethod;
  notes: readonly string[];
  /** The sign-in provider (core/oauth/oauth-providers.ts) for this provider's addresses. */
  oauth?: string;
  /** Other submission hosts of the same provider (a connection test there can suggest its sign-in). */
  otherHosts?: readonly string[];
};

const APP_PASSWORD =
  "With two-step sign-in on, use an app password made in the provider's security settings, not your normal password.";

/** Submission settings of common providers (host, port, security) with what people trip over. */
export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    provider: 'Gmail',
    oauth: 'google',
    domains: ['gmail.com', 'googlemail.com'],
    host: 'smtp.gmail.com',
    port: 465,
    security: 'tls',
    notes: [APP_PASSWORD, 'Or sign in with Google, where Posthorn offers it.'],
  },
  {
    provider: 'Outlook.com / Microsoft 365',
    oauth: 'microsoft',
    domains: [
      'outlook.com',
      'hotmail.com',
      'live.com',
      'msn.com',
      'outlook.de',
      'hotmail.co.uk',
      'office365.com',
      'onmicrosoft.com',
    ],
    host: 'smtp-mail.outlook.com',
    otherHosts: ['smtp.office365.com'],
    port: 587,
    security: 'starttls',
    notes: [
      'Microsoft is switching password login off for sending from apps: sign in with Microsoft, where Posthorn offers it.',
      'Microsoft 365 work accounts use smtp.office365.com.',
    ],
  },
  {
    provider: 'iCloud Mail',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    host: 'smtp.mail.me.com',
    port: 587,
    security: 'starttls',
    notes: [
      'Use an app-specific password from your Apple Account settings.',
      'The username is your full iCloud address.',
    ],
  },
  {
    provider: 'Yahoo Mail',
    oauth: 'yahoo',
    domains: ['yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.de', 'yahoo.fr'],
    host: 'smtp.mail.yahoo.com',
    port: 465,
    security: 'tls',
    notes: [APP_PASSWORD],
  },
  {
    provider: 'AOL Mail',
    oauth: 'aol',
    domains: ['aol.com'],
    host: 'smtp.aol.com',
    port: 465,
    security: 'tls',
    notes: [APP_PASSWORD],
  },
  {
    provider: 'Fastmail',
    domains: ['fastmail.com', 'fastmail.fm', 'fastmail.net', 'messagingengine.com'],
    host: 'smtp.fastmail.com',
    port: 465,
    security: 'tls',
    notes: ['Fastmail requires an app password for SMTP.'],
  },
  {
    provider: 'Zoho Mail',
    domains: ['zoho.com', 'zohomail.com', 'zoho.eu'],
    host: 'smtp.zoho.com',
    port: 465,
    security: 'tls',
    notes: ['Accounts in the EU data centre use smtp.zoho.eu.', APP_PASSWORD],
  },
  {
    provider: 'GMX',
    domains: ['gmx.com', 'gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch'],
    host: 'mail.gmx.net',
    port: 587,
    security: 'starttls',
    notes: ['Turn on "POP3/IMAP and SMTP access" in GMX\'s settings first.'],
  },
  {
    provider: 'WEB.DE',
    domains: ['web.de'],
    host: 'smtp.web.de',
    port: 587,
    security: 'starttls',
    notes: ['Turn on "POP3/IMAP and SMTP access" in WEB.DE\'s settings first.'],
  },
  {
    provider: 'mailbox.org',
    domains: ['mailbox.org'],
    host: 'smtp.mailbox.org',
    port: 465,
    security: 'tls',
    notes: [],
  },
  {
    provider: 'Posteo',
    domains: ['posteo.de', 'posteo.net'],
    host: 'posteo.de',
    port: 465,
    security: 'tls',
    notes: [],
  },
  {
    provider: 'Yandex Mail',
    domains: ['yandex.com', 'yandex.ru'],
    host: 'smtp.yandex.com',
    port: 465,
    security: 'tls',
    notes: [APP_PASSWORD],
  },
  {
    provider: 'Proton Mail (Bridge)',
    domains: ['proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me'],
    host: '127.0.0.1',
    port: 1025,
    security: 'starttls',
    notes: [
      'Proton Mail sends through Proton Mail Bridge on this computer: start it first.',
      "Use the password Bridge shows (not your Proton password), and trust Bridge's own certificate when asked.",
    ],
  },
];

/** The provider whose submission server this is (its own or another of its hosts). */
export function presetForHost(host: string): ProviderPreset | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return PROVIDER_PRESETS.find((preset) => preset.host === h || preset.otherHosts?.includes(h));
}

export function presetForDomain(domain: string): ProviderPreset | undefined {
  const d = domain.toLowerCase();
  return PROVIDER_PRESETS.find((preset) => preset.domains.includes(d));
}

import { z } from 'zod';
import { DEFAULT_TIMEOUTS } from '../defaults.ts';
import { appErrorSchema } from '../errors.ts';
import { singleLine } from '../text-rules.ts';
import { emailAddress, id, timestamp } from './common.ts';
import {
  capabilitiesSchema,
  certificateInfoSchema,
  smtpPhaseSchema,
  tlsSessionSchema,
  transcriptLineSchema,
  vrfyAnswerSchema,
  expnAnswerSchema,
} from './smtp.ts';

export const securityModes = ['starttls', 'tls', 'none'] as const;
export const securitySchema = z.enum(securityModes);
export type Security = z.infer<typeof securitySchema>;

/**
 * How to log in: `auto` lets the server's AUTH list decide; XOAUTH2 uses a pasted access token;
 * OAUTH2 is signed in with a provider (its refresh token in the keychain, access tokens renewed).
 */
export const authMethods = ['auto', 'PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTH2', 'none'] as const;
export const authMethodSchema = z.enum(authMethods);
export type AuthMethod = z.infer<typeof authMethodSchema>;

export const identitySchema = z.object({
  id,
  fromName: z.string(),
  fromAddress: z.string(),
  replyTo: z.string(),
  signature: z.string(),
});
export type Identity = z.infer<typeof identitySchema>;

export const identityInputSchema = z.strictObject({
  id: id.optional(),
  fromName: singleLine('The from name', 200),
  fromAddress: emailAddress('The from address'),
  replyTo: z.union([z.literal(''), emailAddress('Reply-To')]).default(''),
  signature: z.string().max(10_000, 'The signature is longer than 10,000 characters.').default(''),
});
export type IdentityInput = z.input<typeof identityInputSchema>;

const timeout = (max: number, tooLong: string) =>
  z.number().int().min(1000, 'Timeouts are at least 1 second.').max(max, tooLong);

export const timeoutsSchema = z.strictObject({
  connectMs: timeout(600_000, 'Timeouts are at most 10 minutes.'),
  greetingMs: timeout(600_000, 'Timeouts are at most 10 minutes.'),
  socketMs: timeout(3_600_000, 'The idle timeout is at most an hour.'),
});
export type Timeouts = z.infer<typeof timeoutsSchema>;

/** A certificate the person chose to trust for one account only, pinned by its SHA-256 fingerprint. */
export const pinnedCertificateSchema = z.strictObject({
  fingerprint256: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'Not a SHA-256 fingerprint.'),
  pem: z
    .string()
    .max(20_000)
    .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, 'Not a PEM certificate.'),
  subject: z.string().max(1000),
});
export type PinnedCertificate = z.infer<typeof pinnedCertificateSchema>;

/** An account as the renderer sees it: never the secret, only whether one is stored and where. */
export const accountSchema = z.object({
  id,
  name: z.string(),
  email: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: securitySchema,
  auth: authMethodSchema,
  username: z.string(),
  ehloName: z.string(),
  timeouts: timeoutsSchema,
  allowPlaintextAuth: z.boolean(),
  pinnedCertificate: pinnedCertificateSchema.nullable(),
  /** The provider an OAUTH2 account signs in with (core/oauth/oauth-providers.ts); null otherwise. */
  oauthProvider: z.string().nullable(),
  /** That provider's name, for the page ("Sign in again with Google"). */
  oauthProviderName: z.string().nullable(),
  /** The provider no longer accepts this account's sign-in: waiting mail goes once the person signs in again. */
  signInNeeded: z.object({ at: timestamp, message: z.string() }).nullable(),
  /** SMTP connections this account may use at once (providers limit them). */
  maxConnections: z.number().int(),
  isDefault: z.boolean(),
  identities: z.array(identitySchema),
  lastEhlo: z.object({ at: timestamp, capabilities: capabilitiesSchema }).nullable(),
  lastTest: z.object({ at: timestamp, ok: z.boolean(), summary: z.string() }).nullable(),
  hasPassword: z.boolean(),
  secretBackend: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Account = z.infer<typeof accountSchema>;

const hostSchema = z
  .string()
  .trim()
  .min(1, 'Enter the SMTP server, for example smtp.example.org.')
  .max(253, 'A host name is at most 253 characters.')
  .pipe(
    z.union([z.hostname(), z.ipv4(), z.ipv6()], { error: 'The SMTP server must be a host name or an IP address.' }),
  );

/** The server settings alone: what a connection test needs. */
export const serverSettingsSchema = z.strictObject({
  host: hostSchema,
  port: z
    .number()
    .int()
    .min(1, 'The port is a number from 1 to 65535.')
    .max(65535, 'The port is a number from 1 to 65535.'),
  security: securitySchema,
  auth: authMethodSchema.default('auto'),
  username: singleLine('The username', 320),
  ehloName: z
    .union([z.literal(''), z.hostname('The EHLO name must be a host name, like laptop.example.org.')])
    .default(''),
  timeouts: timeoutsSchema.default({ ...DEFAULT_TIMEOUTS }),
  allowPlaintextAuth: z.boolean().default(false),
  pinnedCertificate: pinnedCertificateSchema.nullable().default(null),
  /** For OAUTH2: the provider signed in with. */
  oauthProvider: z.string().max(40).nullable().default(null),
  /**
   * For OAUTH2: a finished sign-in (accounts.signInFinish). A test uses its access token; a
   * save keeps its refresh token with the account.
   */
  signInId: z.string().max(64).optional(),
  /**
   * Write-only: goes straight to the OS keychain (a password, or an XOAUTH2 access token).
   * Omitted keeps the stored one.
   */
  password: z.string().max(8192, 'The password or token is longer than 8192 characters.').optional(),
});

export const accountInputSchema = serverSettingsSchema.extend({
  id: id.optional(),
  name: singleLine('The account name', 100).trim().min(1, 'Give the account a name, for example "Work".'),
  email: emailAddress('The email address'),
  isDefault: z.boolean().optional(),
  maxConnections: z
    .number()
    .int()
    .min(1, 'At least one connection.')
    .max(10, 'At most 10 connections at once.')
    .default(2),
  /** A connection test of these settings: its EHLO result is stored with the account. */
  testId: z.string().max(64).optional(),
  identities: z.array(identityInputSchema).max(50, 'At most 50 identities per account.').optional(),
});
export type AccountInput = z.input<typeof accountInputSchema>;
export type AccountInputParsed = z.output<typeof accountInputSchema>;

/** Where detected server settings came from, so the person knows how much to trust them. */
export const settingsSourceSchema = z.enum(['preset', 'srv', 'guess']);

export const autoconfigSchema = z.object({
  source: settingsSourceSchema,
  /** The provider's name for a preset, the SRV record for DNS, the guessed host otherwise. */
  sourceDetail: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: securitySchema,
  auth: authMethodSchema,
  username: z.string(),
  notes: z.array(z.string()),
  /** The address's provider signs in with OAuth and this build can (a client ID is set): "Sign in with …" first. */
  signIn: z.object({ provider: z.string(), name: z.string() }).nullable(),
});
export type Autoconfig = z.infer<typeof autoconfigSchema>;

export const connectionTestSchema = z.object({
  /** Hand it to accounts.save (as testId) to keep what this test learnt with the new account. */
  id: z.string(),
  ok: z.boolean(),
  verdict: z.object({ title: z.string(), explanation: z.string(), fix: z.string().nullable() }),
  error: appErrorSchema.nullable(),
  phase: smtpPhaseSchema,
  capabilities: capabilitiesSchema.nullable(),
  tls: tlsSessionSchema
    .extend({
      trusted: z.boolean(),
      pinned: z.boolean(),
      problem: z.string().nullable(),
      certificate: certificateInfoSchema.nullable(),
    })
    .nullable(),
  authenticated: z.boolean(),
  /** Asked for: the server's answer to "VRFY address" after logging in (issue 21). */
  vrfy: vrfyAnswerSchema.nullable(),
  /** Asked for: the server's answer to "EXPN list". */
  expn: expnAnswerSchema.nullable(),
  /** The provider refused the password because it wants a sign-in, and this build can: "Sign in with …". */
  signIn: z.object({ provider: z.string(), name: z.string() }).nullable(),
  lines: z.array(transcriptLineSchema),
  durationMs: z.number(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

import { z } from 'zod';

/* What an SMTP session reports, shared by accounts (connection tests), the outbox (attempts) and the logs. */

/** Who wrote a transcript line: the client, the server, Posthorn's own note, the TLS summary, an error. */
export const transcriptDirections = ['C', 'S', 'info', 'tls', 'error'] as const;

export const transcriptLineSchema = z.object({
  /** Milliseconds since the attempt started (monotonic clock); negative for the set-up of a reused connection. */
  t: z.number(),
  dir: z.enum(transcriptDirections),
  text: z.string(),
});
export type TranscriptLine = z.infer<typeof transcriptLineSchema>;

/** The SMTP phase an attempt reached; a failure is reported against the phase it happened in. */
export const smtpPhases = [
  'connect',
  'greeting',
  'ehlo',
  'starttls',
  'auth',
  'mail',
  'rcpt',
  'data',
  'final-reply',
  'quit',
  'done',
] as const;
export const smtpPhaseSchema = z.enum(smtpPhases);
export type SmtpPhase = z.infer<typeof smtpPhaseSchema>;

/** What the server said in its last EHLO, kept for the composer's pre-send checks. */
export const capabilitiesSchema = z.object({
  size: z.number().int().nullable(),
  eightBitMime: z.boolean(),
  smtpUtf8: z.boolean(),
  pipelining: z.boolean(),
  dsn: z.boolean(),
  enhancedStatusCodes: z.boolean(),
  startTls: z.boolean(),
  auth: z.array(z.string()),
  /** Every EHLO keyword as the server wrote it. */
  raw: z.array(z.string()),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

/** A server certificate in brief: who it names, who signed it, when it is valid, its SHA-256. */
export const certificateSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
});

/** Everything shown of a certificate when the person decides whether to trust it. */
export const certificateInfoSchema = certificateSummarySchema.extend({ altNames: z.string(), pem: z.string() });
export type CertificateInfo = z.infer<typeof certificateInfoSchema>;

/** How a session was encrypted (null where the server did not say). */
export const tlsSessionSchema = z.object({ protocol: z.string().nullable(), cipher: z.string().nullable() });

/** What a server said to "VRFY address" (issue 21), and what that means (shared/vrfy-replies.ts). */
export const vrfyAnswerSchema = z.object({
  address: z.string(),
  reply: z.string(),
  kind: z.enum(['known', 'unknown', 'silent', 'refused', 'temporary']),
  title: z.string(),
  meaning: z.string(),
});
export type VrfyAnswer = z.infer<typeof vrfyAnswerSchema>;

/** What a server said to "EXPN list" (issue 21): as for VRFY, with the members it named. */
export const expnAnswerSchema = vrfyAnswerSchema.extend({ members: z.array(z.string()) });
export type ExpnAnswer = z.infer<typeof expnAnswerSchema>;

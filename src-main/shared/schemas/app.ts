import { z } from 'zod';

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser', 'test']),
  dataDir: z.string(),
  secretBackend: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Settings for sending as a whole (each account has its own connection limit besides). */
export const sendingSettingsSchema = z.strictObject({
  /** How long a message keeps being retried before it fails: 1 hour to 30 days. */
  retryHours: z
    .number({ error: 'Enter a number of hours.' })
    .int('Whole hours, please.')
    .min(1, 'Retry for at least 1 hour.')
    .max(720, 'Retry for at most 30 days (720 hours).'),
  /** SMTP connections open at once across all accounts. */
  maxConnections: z
    .number({ error: 'Enter a number of connections.' })
    .int('A whole number, please.')
    .min(1, 'At least 1 connection.')
    .max(32, 'At most 32 connections at once.'),
  /** How long a message waits after Send, so it can still be taken back: 0 to 30 seconds. */
  undoSeconds: z
    .number({ error: 'Enter a number of seconds.' })
    .int('Whole seconds, please.')
    .min(0, 'At least 0 seconds (0 sends at once).')
    .max(30, 'Undo can wait at most 30 seconds.'),
});
export type SendingSettings = z.infer<typeof sendingSettingsSchema>;
export const DEFAULT_SENDING_SETTINGS: SendingSettings = { retryHours: 72, maxConnections: 8, undoSeconds: 5 };

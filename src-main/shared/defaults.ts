/** Plain constants the renderer needs at run time, kept apart from the schemas so it does not bundle zod. */
export const DEFAULT_TIMEOUTS = { connectMs: 30_000, greetingMs: 30_000, socketMs: 120_000 } as const;

/** Every state a message in the outbox can be in (see docs/SENDING.md). */
export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'deferred', 'failed', 'uncertain', 'cancelled'] as const;

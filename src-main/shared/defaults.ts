/** Plain constants the renderer needs at run time, kept apart from the schemas so it does not bundle zod. */
export const DEFAULT_TIMEOUTS = { connectMs: 30_000, greetingMs: 30_000, socketMs: 120_000 } as const;

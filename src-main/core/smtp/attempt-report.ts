import type { AppError } from '../../shared/errors.ts';
import type { AttemptOutcome, ConnectionFacts } from '../../shared/schemas/outbox.ts';
import type { SmtpPhase, TranscriptLine } from '../../shared/schemas/smtp.ts';
import { classifyFailure, phaseOfFailure, toFailure } from './classify.ts';
import type { TranscriptRecorder } from './transcript-recorder.ts';

export type RecipientRefusal = { address: string; code: number | null; reply: string };

/** What one attempt at one message found out, transcript included. */
export type AttemptReport = {
  outcome: AttemptOutcome;
  phase: SmtpPhase;
  replyCode: number | null;
  enhancedCode: string | null;
  response: string | null;
  /** The final "." may have reached the server: from here a lost connection means "uncertain". */
  finalDotSent: boolean;
  error: AppError | null;
  accepted: string[];
  /** Recipients the server refused at RCPT (or after DATA, for LMTP), with its reply. */
  refusals: RecipientRefusal[];
  lines: TranscriptLine[];
  /** The connection's facts, when a connection was made. */
  facts: ConnectionFacts | null;
};

export type AttemptHooks = {
  onFinalDot?: () => void;
  /** Bytes of the message handed to the connection so far (it pulls them as the socket drains). */
  onProgress?: (sent: number, total: number) => void;
  /**
   * The connection ended after this attempt, as its last one (QUIT and 221, or the drop): the
   * attempt's whole transcript, those lines included, to keep.
   */
  onClosingLines?: (lines: readonly TranscriptLine[]) => void;
};

/** "250 2.0.0 Ok: queued as 4Q9XkT" → "4Q9XkT"; other common forms too. */
export function queueIdOf(reply: string | null): string | null {
  if (!reply) return null;
  return /queued as ([^\s>]+)/i.exec(reply)?.[1] ?? /\b(?:id|queue-id)[=:]\s*<?([^\s>]+)/i.exec(reply)?.[1] ?? null;
}

export function refusalsOf(errors: unknown): RecipientRefusal[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((e: { recipient?: unknown; responseCode?: unknown; response?: unknown; message?: unknown }) => ({
    address: String(e.recipient ?? ''),
    code: typeof e.responseCode === 'number' ? e.responseCode : null,
    reply: String(e.response ?? e.message ?? '').trim(),
  }));
}

/** An attempt's report from its recorder: what the transcript shows, plus the verdict given. */
export function attemptReport(
  recorder: TranscriptRecorder,
  partial: Pick<AttemptReport, 'outcome' | 'replyCode' | 'enhancedCode' | 'response' | 'error'>,
): AttemptReport {
  return {
    ...partial,
    phase: partial.outcome === 'sent' ? 'done' : recorder.phase,
    finalDotSent: recorder.finalDotSent,
    lines: recorder.lines,
    accepted: [],
    refusals: [],
    facts: null,
  };
}

/**
 * A failed step's report, classified (what it means for the message). `note`: the verdict goes in
 * the transcript now; the session passes false and notes the final verdict once it is judged.
 */
export function failedAttempt(recorder: TranscriptRecorder, error: unknown, note = true): AttemptReport {
  const failure = toFailure(error);
  const phase = phaseOfFailure(failure, recorder.phase);
  const classified = classifyFailure(failure, phase, recorder.finalDotSent);
  if (note) recorder.note('error', classified.error.message);
  return {
    ...attemptReport(recorder, {
      outcome: classified.outcome,
      replyCode: classified.replyCode,
      enhancedCode: classified.enhancedCode,
      response: classified.response,
      error: classified.error,
    }),
    phase,
  };
}

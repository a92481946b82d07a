import { appError, type AppError } from '../../shared/errors.ts';
import { diagnose } from '../../shared/reply-codes.ts';
import type { AttemptOutcome } from '../../shared/schemas/outbox.ts';
import { capText } from '../../shared/text-rules.ts';
import type { AttemptReport } from './attempt-report.ts';
import { enhancedCodeOf, MAX_REPLY_CHARS } from './classify.ts';
import { acceptedIn, observeExchange, type Exchange, type Reply } from './exchange.ts';
import type { TranscriptRecorder } from './transcript-recorder.ts';

type Verdict = { outcome: AttemptOutcome; error: AppError | null; decidedBy: Reply | null };

const classOf = (reply: Reply | null) => (reply ? Math.floor(reply.code / 100) : null);
/** A reply as kept in a message or the last reply: a hostile server's 10 MB line only in part. */
const shown = (reply: Reply) => capText(reply.text, MAX_REPLY_CHARS);

/** "(no such user)" from the reply table, for the person's message. */
function meaningOf(reply: Reply): string {
  const d = diagnose(reply.text);
  return d && d.severity !== 'ok' ? ` (${d.title.toLowerCase()})` : '';
}

function refused(reply: Reply, what: string): AppError {
  return appError(
    'SMTP_REJECTED',
    `The server refused ${what}${meaningOf(reply)}: ${shown(reply)}`,
    diagnose(reply.text)?.fix ?? "Read the server's reply; it usually names the problem.",
  );
}

function later(reply: Reply, what: string): AppError {
  return appError(
    'SMTP_TEMPORARY',
    `The server asked to try ${what} again later: ${shown(reply)}`,
    'Posthorn will retry automatically.',
  );
}

const NOT_ON_ITS_OWN =
  'It may or may not have been delivered. Check with a recipient before resending; Posthorn will not resend it on its own.';

const unreadable = (whole: string, sent: boolean, line = capText(whole, 200)) =>
  appError(
    'SMTP_PROTOCOL',
    sent
      ? `The message was sent, but the server's reply to it could not be read ("${line}").`
      : `The server's reply could not be read ("${line}"), so nothing was sent.`,
    sent
      ? NOT_ON_ITS_OWN
      : 'Posthorn tries again later. If it keeps happening, the server, or something between (an antivirus, a proxy), is garbling SMTP: send this transcript to its administrator.',
  );

const notGoAhead = (reply: Reply) =>
  appError(
    'SMTP_PROTOCOL',
    `The server answered DATA with "${shown(reply)}" instead of 354 ("go ahead"), so the message was not sent.`,
    'Posthorn tries again later. If it keeps happening, the server is answering out of turn: send this transcript to its administrator.',
  );

/** Replies out of step: before the ".", nothing was sent; after it, nobody knows what the server did. */
function outOfTurn(text: string, sent: boolean): AppError {
  const reply = capText(text, 200);
  return sent
    ? appError(
        'SMTP_UNCERTAIN',
        `The message was sent, but the server sent another reply after its answer ("${reply}"): its replies are out of step, so whether it took the message is unknown.`,
        NOT_ON_ITS_OWN,
      )
    : appError(
        'SMTP_PROTOCOL',
        `The server sent a reply nobody asked for ("${reply}") before the message was complete, so the connection was closed before the final "." and nothing was delivered.`,
        'Posthorn tries again later. If it keeps happening, the server is answering out of turn: send this transcript to its administrator.',
      );
}

/**
 * After the final ".": only one well-formed 2xx, 4xx or 5xx decides; anything else leaves the
 * message uncertain. A refusal followed by a reply nobody asked for may have been an answer to
 * something else, and the "." may have been queued: uncertain too. (After a 2xx the message
 * stays sent: the server said so first.)
 */
function afterTheDot(exchange: Exchange): Verdict {
  const final = exchange.final;
  if (exchange.malformed) return { outcome: 'uncertain', error: unreadable(exchange.malformed, true), decidedBy: null };
  if (exchange.outOfTurn && classOf(final) !== 2)
    return { outcome: 'uncertain', error: outOfTurn(exchange.outOfTurn, true), decidedBy: null };
  if (final && classOf(final) === 2) return { outcome: 'sent', error: null, decidedBy: final };
  if (final && classOf(final) === 4)
    return { outcome: 'deferred', error: later(final, 'the message'), decidedBy: final };
  if (final && classOf(final) === 5)
    return { outcome: 'failed', error: refused(final, 'the message'), decidedBy: final };
  const why = final
    ? `The message was sent, but the server answered "${shown(final)}", which is not an answer to a message.`
    : 'The message was sent, but the server did not confirm it before the connection ended.';
  return { outcome: 'uncertain', error: appError('SMTP_UNCERTAIN', why, NOT_ON_ITS_OWN), decidedBy: final };
}

/** Before the final ".": the reply that stopped the transaction decides, in the order the commands went. */
function beforeTheDot(exchange: Exchange): Verdict | null {
  // The pairing of replies to commands is in doubt: nothing the server said can be read as an answer.
  if (exchange.outOfTurn) return { outcome: 'deferred', error: outOfTurn(exchange.outOfTurn, false), decidedBy: null };
  if (classOf(exchange.mail) === 5)
    return { outcome: 'failed', error: refused(exchange.mail!, 'the sender (MAIL FROM)'), decidedBy: exchange.mail };
  if (classOf(exchange.mail) === 4)
    return { outcome: 'deferred', error: later(exchange.mail!, 'the sender (MAIL FROM)'), decidedBy: exchange.mail };
  const answered = exchange.rcpts.filter((r) => r.reply !== null);
  if (answered.length > 0 && acceptedIn(exchange).length === 0) {
    // Nobody accepted: the recipients' refusals decide, whatever happened after them.
    const temporary = answered.find((r) => classOf(r.reply) === 4);
    const unanswered = answered.length < exchange.rcpts.length;
    const list = answered.map((r) => `${r.address} (${shown(r.reply!)})`).join(', ');
    if (temporary || unanswered)
      return {
        outcome: 'deferred',
        error: appError(
          'SMTP_TEMPORARY',
          `No recipient was accepted yet: ${list}.`,
          'Posthorn retries the recipients that were refused only for now.',
        ),
        decidedBy: temporary?.reply ?? null,
      };
    const first = answered[0]!.reply!;
    return {
      outcome: 'failed',
      error: refused(first, answered.length === 1 ? answered[0]!.address : `every recipient: ${list}`),
      decidedBy: first,
    };
  }
  if (exchange.malformed) return { outcome: 'deferred', error: unreadable(exchange.malformed, false), decidedBy: null };
  if (classOf(exchange.data) === 5)
    return { outcome: 'failed', error: refused(exchange.data!, 'the message (DATA)'), decidedBy: exchange.data };
  if (classOf(exchange.data) === 4)
    return { outcome: 'deferred', error: later(exchange.data!, 'the message (DATA)'), decidedBy: exchange.data };
  // Any other answer to DATA but 354 ("go ahead"): the body did not go, and the reply says why.
  if (exchange.data && exchange.data.code !== 354)
    return { outcome: 'deferred', error: notGoAhead(exchange.data), decidedBy: exchange.data };
  return null;
}

/**
 * The verdict on an attempt from what its conversation shows (`Exchange`), over what nodemailer
 * made of it: after the final "." only a well-formed final reply decides, otherwise the message
 * is uncertain; before it, the reply that stopped the transaction decides and is named; a reply
 * that could not be read is said to be so. Where the conversation decides nothing (no
 * connection, TLS, login, a timeout before MAIL), nodemailer's failure as classified stands.
 * Accepted and refused recipients always come from the RCPT replies.
 */
export function judgeAttempt(report: AttemptReport, exchange: Exchange): AttemptReport {
  const refusals = exchange.rcpts
    .filter((r) => r.reply !== null && classOf(r.reply) !== 2)
    .map((r) => ({ address: r.address, code: r.reply!.code, reply: shown(r.reply!) }));
  // RCPT replies count only once MAIL was accepted ("503 need MAIL command" refuses nobody).
  const withRecipients =
    exchange.rcpts.length > 0 && classOf(exchange.mail) === 2 ? { accepted: acceptedIn(exchange), refusals } : {};
  const verdict = exchange.finalDotSent || report.finalDotSent ? afterTheDot(exchange) : beforeTheDot(exchange);
  if (!verdict) return { ...report, ...withRecipients };
  const details = report.error?.details ? { details: report.error.details } : {};
  return {
    ...report,
    ...withRecipients,
    finalDotSent: report.finalDotSent || exchange.finalDotSent,
    outcome: verdict.outcome,
    error: verdict.error && { ...verdict.error, ...details },
    replyCode: verdict.decidedBy?.code ?? (verdict.outcome === 'uncertain' ? null : report.replyCode),
    enhancedCode: verdict.decidedBy ? enhancedCodeOf(verdict.decidedBy.text) : report.enhancedCode,
    response: verdict.decidedBy ? shown(verdict.decidedBy) : verdict.outcome === 'uncertain' ? null : report.response,
  };
}

/** The attempt judged on its whole conversation as recorded, its verdict noted in the transcript. */
export function judgeRecorded(recorder: TranscriptRecorder, report: AttemptReport): AttemptReport {
  const judged = judgeAttempt(report, observeExchange(recorder.lines));
  if (judged.error) recorder.note('error', judged.error.message);
  return recorder.scrub(judged);
}

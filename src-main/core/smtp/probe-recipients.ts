import { hasNonAscii } from '../../shared/address-list.ts';
import type { AppError } from '../../shared/errors.ts';
import type { Refusal } from '../../shared/schemas/common.ts';
import type { VrfyAnswer } from '../../shared/schemas/smtp.ts';
import { failedAttempt } from './attempt-report.ts';
import type { SmtpSession } from './smtp-session.ts';
import type { TranscriptRecorder } from './transcript-recorder.ts';
import { askVrfy } from './vrfy.ts';

export type Probe = { accepted: string[]; refused: Refusal[]; vrfy: VrfyAnswer[]; failure: AppError | null };

/**
 * A dry run on a logged-in connection: MAIL FROM and RCPT TO for every recipient, then RSET, so
 * nothing is sent. The server's verdict on each recipient is what a real send would meet at RCPT.
 */
export async function probeRecipients(
  session: SmtpSession,
  recorder: TranscriptRecorder,
  envelope: { from: string; to: string[] },
  /** The person asked: each recipient is also checked with VRFY, after the RSET. */
  vrfy = false,
): Promise<Probe> {
  const utf8 = hasNonAscii([envelope.from, ...envelope.to].join('')) && session.offers('SMTPUTF8') ? ' SMTPUTF8' : '';
  try {
    const mail = await session.command(`MAIL FROM:<${envelope.from}>${utf8}`);
    if (!mail.startsWith('2')) {
      const refusal = Object.assign(new Error(mail), {
        response: mail,
        responseCode: Number.parseInt(mail, 10),
        command: 'MAIL FROM',
      });
      return { accepted: [], refused: [], vrfy: [], failure: failedAttempt(recorder, refusal).error };
    }
    const accepted: string[] = [];
    const refused: Refusal[] = [];
    for (const address of envelope.to) {
      const reply = await session.command(`RCPT TO:<${address}>`);
      if (reply.startsWith('2')) accepted.push(address);
      else refused.push({ address, reply: reply.trim() });
    }
    await session.command('RSET');
    const answers: VrfyAnswer[] = [];
    if (vrfy) for (const address of envelope.to) answers.push(await askVrfy(address, (line) => session.command(line)));
    return { accepted, refused, vrfy: answers, failure: null };
  } catch (error) {
    return { accepted: [], refused: [], vrfy: [], failure: failedAttempt(recorder, error).error };
  } finally {
    session.release();
  }
}

import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ExpnAnswer, VrfyAnswer } from '../../shared/schemas/smtp.ts';
import { explainExpn, explainVrfy } from '../../shared/vrfy-replies.ts';
import { step } from './connection-steps.ts';
import { sendRawCommand } from './nodemailer-internals.ts';

/** One command on a connection outside a message (through nodemailer's own queue and log), bounded in time. */
export function rawCommand(conn: SMTPConnection, line: string, deadlineMs: number): Promise<string> {
  return step<string>(conn, (done) => sendRawCommand(conn, line, (reply) => done(null, reply)), deadlineMs);
}

/**
 * "VRFY address" (RFC 5321 §3.5) and what the answer means. Sent only when the person asks:
 * most servers will not say (252) or have VRFY turned off (502), so it is a question, never a
 * check Posthorn relies on. The address is a validated one (no line breaks can reach the wire).
 */
/** "EXPN list" (RFC 5321 §3.5.2), only when asked, and what the answer means. */
export async function askExpn(list: string, send: (line: string) => Promise<string>): Promise<ExpnAnswer> {
  const reply = (await send(`EXPN ${list}`)).trim();
  return { address: list, reply: reply.slice(0, 4000), ...explainExpn(reply) };
}

export async function askVrfy(address: string, send: (line: string) => Promise<string>): Promise<VrfyAnswer> {
  const reply = (await send(`VRFY ${address}`)).trim();
  return { address, reply, ...explainVrfy(reply) };
}

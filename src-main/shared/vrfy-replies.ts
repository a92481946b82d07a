import { parseReply } from './reply-codes.ts';

/**
 * What a server's answer to VRFY means (RFC 5321 §3.5, §7.3). Most servers today will not say
 * whether an address exists (252, or VRFY turned off with 502) so that spammers cannot harvest
 * addresses; a 252 is therefore no sign of trouble.
 */
export type VrfyVerdict = {
  /** known: the server confirmed the address; unknown: it says there is no such address; silent: it would not say. */
  kind: 'known' | 'unknown' | 'silent' | 'refused' | 'temporary';
  title: string;
  meaning: string;
};

export function explainVrfy(reply: string): VrfyVerdict {
  const code = parseReply(reply).basic ?? 0;
  if (code === 250)
    return { kind: 'known', title: 'Known address', meaning: 'The server confirmed that it delivers to this address.' };
  if (code === 251)
    return {
      kind: 'known',
      title: 'Known, forwarded elsewhere',
      meaning: 'The address exists but is not local to this server; it forwards the mail (to the address it names).',
    };
  if (code === 252)
    return {
      kind: 'silent',
      title: 'The server will not say',
      meaning:
        'It neither confirms nor denies addresses (the usual answer today, against address harvesting) and would accept the message and try.',
    };
  if (code === 502 || code === 500 || code === 504)
    return {
      kind: 'refused',
      title: 'VRFY is turned off here',
      meaning:
        'The server does not answer VRFY at all (common, against address harvesting). A dry run (RCPT TO) says more.',
    };
  if (code === 550 || code === 551 || code === 553)
    return {
      kind: 'unknown',
      title: 'No such address',
      meaning: 'The server says it does not know this address: mail to it would most likely be refused.',
    };
  if (code >= 400 && code < 500)
    return {
      kind: 'temporary',
      title: 'Not now',
      meaning: 'The server could not check the address at the moment; try again later.',
    };
  return { kind: 'refused', title: 'Not answered', meaning: `The server answered "${reply.trim().slice(0, 200)}".` };
}

/**
 * What a server's answer to EXPN means (RFC 5321 §3.5.2): 250 lines naming the list's members
 * ("250-Jon Postel <Postel@isi.edu>"), or the same refusals as VRFY. Almost every server today
 * refuses it (502) or will not say (252).
 */
export function explainExpn(reply: string): VrfyVerdict & { members: string[] } {
  const code = parseReply(reply).basic ?? 0;
  if (code === 250) {
    const members = reply
      .split(/\r?\n/)
      .map((line) => line.replace(/^250[ -]/, '').trim())
      .filter(Boolean)
      .slice(0, 200);
    return {
      kind: 'known',
      title: `The list has ${members.length === 1 ? '1 member' : `${members.length} members`}`,
      meaning: `The server named them: ${members.slice(0, 20).join(', ')}${members.length > 20 ? ', …' : ''}.`,
      members,
    };
  }
  if (code === 550 || code === 551 || code === 553)
    return {
      kind: 'unknown',
      title: 'No such list',
      meaning: 'The server says it has no mailing list by that name.',
      members: [],
    };
  const { kind, title, meaning } = explainVrfy(reply);
  const forExpn =
    kind === 'refused'
      ? {
          title: 'EXPN is turned off here',
          meaning: 'The server does not expand lists (common, against address harvesting).',
        }
      : { title, meaning };
  return { kind, ...forExpn, members: [] };
}

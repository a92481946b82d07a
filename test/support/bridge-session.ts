import type { Bridge } from '../../src-main/bridge/bridge-server.ts';

/** Trades a new start link's code for a session token, as the page does when it opens. */
export async function sessionFrom(bridge: Pick<Bridge, 'newStartLink'>): Promise<string> {
  return sessionFromLink(bridge.newStartLink());
}

export async function sessionFromLink(link: string): Promise<string> {
  const [base = '', fragment = ''] = link.split('#');
  const code = /(?:^|&)code=([A-Za-z0-9_-]+)/.exec(fragment)?.[1] ?? '';
  const response = await fetch(`${base}api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const answer = (await response.json()) as { ok: boolean; value?: { session: string }; error?: { message: string } };
  if (!answer.ok || !answer.value) throw new Error(`The start link was refused: ${answer.error?.message ?? '?'}`);
  return answer.value.session;
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * How the page in browser mode gets its session from the start link (issue 19): the one-time
 * code leaves the address bar at once and is traded for a session kept in the tab. A code
 * someone else already traded is said to the person, even in a tab that has a session.
 */
describe('browser mode: the page and its start link', () => {
  const answers: { ok: boolean; value?: { session: string }; error?: { message: string; hint?: string } }[] = [];
  const fetched: { url: string; body: string }[] = [];

  beforeEach(() => {
    vi.resetModules();
    sessionStorage.clear();
    answers.length = 0;
    fetched.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: { body: string }) => {
        fetched.push({ url, body: init.body });
        return { json: async () => answers.shift() } as Response;
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  const open = async (hash: string) => {
    history.replaceState(null, '', `/${hash}`);
    const { getApi } = await import('../../src-renderer/api/index.ts');
    return getApi();
  };

  it('trades the code, keeps the session for the tab, and takes the code out of the address bar', async () => {
    answers.push({ ok: true, value: { session: 'S1' } });
    const choice = await open('#code=abcdefgh');
    expect(choice.api).not.toBeNull();
    expect(fetched).toEqual([{ url: '/api/session', body: JSON.stringify({ code: 'abcdefgh' }) }]);
    expect(sessionStorage.getItem('posthorn.session')).toBe('S1');
    expect(window.location.hash).toBe('');
  });

  it('a reload without a code carries on with the tab’s session', async () => {
    sessionStorage.setItem('posthorn.session', 'S1');
    const choice = await open('');
    expect(choice.api).not.toBeNull();
    expect(fetched).toEqual([]);
  });

  it('a link someone else already used is said, even in a tab that has a session', async () => {
    sessionStorage.setItem('posthorn.session', 'S1');
    answers.push({
      ok: false,
      error: { message: 'This link was already used.', hint: 'If you did not open it yourself, stop Posthorn.' },
    });
    const choice = await open('#code=stolen12');
    expect(choice.api).toBeNull();
    if (!choice.api) expect(choice.problem).toMatch(/already used.*did not open it yourself/);
    expect(window.location.hash).toBe('');
  });
});

/**
 * A person in a browser, without the browser: follows the authorization URL through the
 * authorization server's own login and consent pages (posting their forms as a person would),
 * keeping its cookies, until it is sent back to Posthorn's loopback address.
 */
export type BrowserChoice = { login?: string; consent?: 'allow' | 'deny'; stopAtRedirect?: (url: string) => string };

export async function signInHeadless(start: string, choice: BrowserChoice = {}): Promise<string> {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      cookies.set(name.trim(), value.join('='));
    }
  };
  let url = start;
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 20; step++) {
    if (url.includes('/callback')) {
      const final = choice.stopAtRedirect ? choice.stopAtRedirect(url) : url;
      await fetch(final); // the browser lands on Posthorn's listener
      return final;
    }
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: cookieHeader(),
        ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    keep(response);
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`No form and no redirect at ${url} (${response.status}): ${page.slice(0, 300)}`);
    if (/name="prompt" value="login"/.test(page)) {
      body = new URLSearchParams({ prompt: 'login', login: choice.login ?? 'ada@example.test', password: 'any' });
      url = new URL(action, url).href;
    } else if (/name="prompt" value="consent"/.test(page)) {
      if (choice.consent === 'deny') {
        const abort = /href="([^"]*\/abort)"/.exec(page)?.[1];
        if (!abort) throw new Error('No way to say no on the consent page.');
        url = new URL(abort.replace(/&amp;/g, '&'), url).href;
      } else {
        body = new URLSearchParams({ prompt: 'consent' });
        url = new URL(action, url).href;
      }
    } else throw new Error(`An unknown page at ${url}: ${page.slice(0, 300)}`);
  }
  throw new Error('The sign-in went round in circles.');
}

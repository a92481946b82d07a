import { describe, expect, it } from 'vitest';
import { parseMailto } from '../../../src-main/shared/mailto.ts';

const value = (url: string) => {
  const result = parseMailto(url);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
};

describe('mailto: links (RFC 6068)', () => {
  it("the RFC's examples", () => {
    expect(value('mailto:chris@example.com')).toMatchObject({ to: 'chris@example.com' });
    expect(value('mailto:infobot@example.com?subject=current-issue')).toMatchObject({
      to: 'infobot@example.com',
      subject: 'current-issue',
    });
    expect(value('mailto:infobot@example.com?body=send%20current-issue')).toMatchObject({ body: 'send current-issue' });
    expect(value('mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index')).toMatchObject({
      body: 'send current-issue\nsend index',
    });
    expect(value('mailto:?to=joe@example.com&cc=bob@example.com&body=hello')).toEqual({
      to: 'joe@example.com',
      cc: 'bob@example.com',
      bcc: '',
      subject: '',
      body: 'hello',
    });
    expect(value('mailto:gorby%25kremvax@example.com')).toMatchObject({ to: 'gorby%kremvax@example.com' });
    expect(value('mailto:%22not%40me%22@example.org')).toMatchObject({ to: '"not@me"@example.org' });
  });

  it('several recipients, to in both places, UTF-8 and a literal plus', () => {
    expect(
      value(
        'mailto:a@example.com,b@example.com?to=c@example.com&bcc=d@example.com&bcc=e@example.com&subject=Gr%C3%BC%C3%9Fe+aus+K%C3%B6ln',
      ),
    ).toEqual({
      to: 'a@example.com,b@example.com, c@example.com',
      cc: '',
      bcc: 'd@example.com, e@example.com',
      subject: 'Grüße+aus+Köln',
      body: '',
    });
  });

  it('hostile links: no new headers through CR/LF, no From or Reply-To, bad encoding refused', () => {
    const evil = value(
      'mailto:a@example.com?subject=Hi%0D%0ABcc:%20spy@evil.test&from=ceo@example.com&reply-to=spy@evil.test&X-Header=1',
    );
    expect(evil).toEqual({ to: 'a@example.com', cc: '', bcc: '', subject: 'Hi Bcc: spy@evil.test', body: '' });
    expect(value('mailto:a@example.com%0D%0ABcc:spy@evil.test').to).toBe('a@example.com Bcc:spy@evil.test'); // one line: the composer then marks it invalid
    expect(parseMailto('mailto:a@example.com?subject=%E0%A4%A')).toEqual({
      ok: false,
      reason: 'Part of the link is not validly encoded.',
    });
    expect(parseMailto('https://example.com')).toMatchObject({ ok: false });
    expect(parseMailto(`mailto:a@example.com?body=${'x'.repeat(100_001)}`)).toMatchObject({ ok: false });
  });
});

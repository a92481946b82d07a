import { describe, expect, it } from 'vitest';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import { composeReducer } from '../../../src-renderer/features/compose/compose-reducer.ts';
import { initialState } from '../../../src-renderer/features/compose/compose-state.ts';
import { laterPresets } from '../../../src-renderer/features/compose/send-later.ts';
import { withDomainReplaced } from '../../../src-renderer/features/compose/warning-fixes.ts';

const identity = (id: string, signature: string) => ({
  id,
  fromName: id,
  fromAddress: `${id}@example.org`,
  replyTo: '',
  signature,
});
const account = {
  id: 'a1',
  name: 'Work',
  email: 'ada@example.org',
  isDefault: true,
  identities: [identity('ada', 'Ada'), identity('team', 'The team')],
} as unknown as Account;
const image = { id: 'img1', name: 'map.png', type: 'image/png', size: 10, inline: true };

describe('the composer state', () => {
  it('choosing another From swaps the signature that is still in the text, in both modes', () => {
    const start = initialState([account], null);
    expect(start.text).toContain('-- \nAda');
    const next = composeReducer(start, {
      type: 'choose-from',
      accounts: [account],
      accountId: 'a1',
      identityId: 'team',
    });
    expect(next.identityId).toBe('team');
    expect(next.text).toContain('-- \nThe team');
    expect(next.html).toContain('The team');
    expect(next.html).not.toContain('>Ada<');
  });

  it('switching to plain text takes the given text and turns images in the text into ordinary attachments', () => {
    const start = {
      ...initialState([account], null),
      html: '<p><strong>Hi</strong> <img src="cid:img1"></p>',
      attachments: [image],
    };
    const plain = composeReducer(start, { type: 'to-plain', text: 'Hi' });
    expect(plain.html).toBeNull();
    expect(plain.text).toBe('Hi');
    expect(plain.attachments).toEqual([{ ...image, inline: false }]);
    // And back: the plain text becomes paragraphs again.
    expect(composeReducer({ ...plain, text: 'One\n\nTwo' }, { type: 'to-rich' }).html).toBe('<p>One</p><p>Two</p>');
  });
});

describe('send later presets', () => {
  it('offers later today until the evening, tomorrow morning, and Monday morning from Friday', () => {
    const friday = new Date(2026, 10, 27, 10, 15).getTime();
    expect(laterPresets(friday).map((p) => [p.label, new Date(p.at).toString().slice(0, 21)])).toEqual([
      ['Later today', new Date(2026, 10, 27, 14, 0).toString().slice(0, 21)],
      ['Tomorrow morning', new Date(2026, 10, 28, 8, 0).toString().slice(0, 21)],
      ['Monday morning', new Date(2026, 10, 30, 8, 0).toString().slice(0, 21)],
    ]);
    const tuesdayEvening = new Date(2026, 10, 24, 19, 0).getTime();
    expect(laterPresets(tuesdayEvening).map((p) => p.label)).toEqual(['Tomorrow morning']);
  });
});

describe('the "did you mean" fix', () => {
  it('moves whole domains only, in every list', () => {
    expect(
      withDomainReplaced(
        { to: 'ann@gmial.com, "Bo" <bo@GMIAL.com>', cc: 'cy@gmial.com.au', bcc: 'di@notgmial.com' },
        'gmial.com',
        'gmail.com',
      ),
    ).toEqual({ to: 'ann@gmail.com, "Bo" <bo@gmail.com>', cc: 'cy@gmial.com.au', bcc: 'di@notgmial.com' });
  });
});

import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Account } from '../../src-main/shared/schemas/accounts.ts';
import type { DraftContent, MessageInput } from '../../src-main/shared/schemas/compose.ts';
import { ApiProvider } from '../../src-renderer/api/api-context.tsx';
import { ComposeView } from '../../src-renderer/features/compose/ComposeView.tsx';
import { fakeApi } from './fake-api.ts';

const account = {
  id: 'a1',
  name: 'Ada Keys',
  email: 'ada@example.org',
  isDefault: true,
  identities: [{ id: 'i1', fromName: 'Ada Keys', fromAddress: 'ada@example.org', replyTo: '', signature: '' }],
} as unknown as Account;

const image = { id: 'img1', name: 'map.png', type: 'image/png', size: 2048, inline: true };
const draft: DraftContent = {
  accountId: 'a1',
  identityId: 'i1',
  to: 'bob@example.org',
  cc: '',
  bcc: '',
  subject: 'The plan',
  body: 'Plan see the plan',
  html: '<p><strong>Plan</strong> see <a href="https://example.org/plan">the plan</a></p><p><img src="cid:img1" alt="map.png"></p>',
  priority: 'normal',
  dsn: { success: false, failure: false },
  attachments: [image],
};

function setup(warnings: unknown[] = []) {
  const onQueued = vi.fn();
  const fake = fakeApi({
    'compose.recipients': () => [],
    'attachments.preview': () => null,
    'drafts.save': () => ({ id: 'd1', savedAt: 1 }),
    'compose.check': () => warnings,
    // What the core answers (src-main/core/compose/plain-text.ts; its own conversion is tested there).
    'compose.plainText': () => ({ text: 'Plan see the plan [https://example.org/plan]' }),
    'outbox.enqueue': (input: MessageInput) => ({ id: 'm1', nextAttemptAt: 5, input }),
    'compose.dryRun': (input: { vrfy?: boolean }) => ({
      accepted: ['bob@example.org'],
      refused: [],
      vrfy: input.vrfy
        ? [
            {
              address: 'bob@example.org',
              reply: '550 5.1.1 User unknown',
              kind: 'unknown',
              title: 'No such address',
              meaning: 'The server says it does not know this address.',
            },
          ]
        : [],
      error: null,
      lines: [],
    }),
  });
  render(
    <ApiProvider api={fake.api}>
      <ComposeView accounts={[account]} initial={draft} draftId="d1" transport="browser" onQueued={onQueued} />
    </ApiProvider>,
  );
  const enqueued = () => fake.calls.filter((c) => c.channel === 'outbox.enqueue').map((c) => c.input as MessageInput);
  const dryRuns = () =>
    fake.calls.filter((c) => c.channel === 'compose.dryRun').map((c) => c.input as { vrfy?: boolean });
  return { user: userEvent.setup(), onQueued, enqueued, dryRuns };
}

describe('the composer: switching to plain text', () => {
  it('asks first, saying what changes; "Keep formatting" keeps it all', async () => {
    const { user } = setup();
    await user.click(screen.getByLabelText('Plain text'));
    const dialog = await screen.findByRole('dialog', { name: 'Switch to plain text?' });
    expect(dialog.textContent).toContain('Bold, italics, headings, lists and quotes become plain text.');
    expect(dialog.textContent).toContain('1 link is kept as text with the address in brackets.');
    expect(dialog.textContent).toContain('1 image in the text goes out as an ordinary attachment instead.');
    await user.click(screen.getByRole('button', { name: 'Keep formatting' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((screen.getByLabelText('Plain text') as HTMLInputElement).checked).toBe(false);
  });

  it('after "Switch", the text keeps the link address, the image is an ordinary attachment, and that is what is sent', async () => {
    const { user, enqueued } = setup();
    await user.click(screen.getByLabelText('Plain text'));
    await user.click(await screen.findByRole('button', { name: 'Switch to plain text' }));
    // The plain text area replaces the editor once the conversion has loaded.
    const body = await waitFor(() => {
      const area = screen.getByRole('textbox', { name: 'Message' });
      expect(area.tagName).toBe('TEXTAREA');
      return area as HTMLTextAreaElement;
    });
    expect(body.value).toBe('Plan see the plan [https://example.org/plan]');
    const inText = screen.getByRole('checkbox', { name: 'In the text' }) as HTMLInputElement;
    expect(inText.checked).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(enqueued()).toHaveLength(1));
    expect(enqueued()[0]).toMatchObject({
      html: null,
      body: 'Plan see the plan [https://example.org/plan]',
      attachments: [{ id: 'img1', inline: false }],
    });
  });
});

describe('the composer: one-click fixes for the warnings before sending', () => {
  it('"Use gmail.com" corrects the recipient; "Add a subject" puts the cursor there', async () => {
    const { user, enqueued } = setup([
      {
        code: 'NO_MAIL_DOMAIN',
        message: 'No mail server exists for "gmial.com" — did you mean gmail.com?',
        hint: 'Check the spelling of the address.',
        fix: { action: 'replace-domain', label: 'Use gmail.com', from: 'gmial.com', to: 'gmail.com' },
      },
      {
        code: 'EMPTY_SUBJECT',
        message: 'The message has no subject.',
        hint: 'Add a subject.',
        fix: { action: 'focus-subject', label: 'Add a subject' },
      },
    ]);
    const to = screen.getByLabelText('To', { exact: true });
    await user.type(to, 'carol@gmial.com,');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await user.click(await screen.findByRole('button', { name: 'Use gmail.com' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('list', { name: 'To recipients' }).textContent).toContain('carol@gmail.com');
    expect(screen.getByRole('list', { name: 'To recipients' }).textContent).not.toContain('gmial');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await user.click(await screen.findByRole('button', { name: 'Add a subject' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Subject')));
    expect(enqueued()).toHaveLength(0);
  });
});

describe('the composer: keys that must not change the message', () => {
  it('Ctrl+Enter sends the text as it is on screen: no extra line, highlighted words kept', async () => {
    const { user, enqueued } = setup();
    const editor = await screen.findByRole('textbox', { name: 'Message' });
    await user.click(editor);
    await user.keyboard('{Control>}a{/Control}');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(enqueued()).toHaveLength(1));
    expect(enqueued()[0]?.html).toBe(draft.html);
  });

  it('Ctrl+Z in the warnings dialog does not reach the message behind it', async () => {
    const { user } = setup([{ code: 'EMPTY_SUBJECT', message: 'The message has no subject.', hint: 'Add a subject.' }]);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const back = await screen.findByRole('button', { name: 'Go back and fix' });
    const event = new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true });
    back.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('the composer: direct delivery', () => {
  it('Options › Send through: directly, with what that means; the message is queued with that route', async () => {
    const { user, enqueued } = setup();
    await user.click(screen.getByText('Options'));
    const route = screen.getByLabelText('Send through');
    expect(route).toHaveProperty('value', 'account');
    await user.selectOptions(route, 'direct');
    expect(screen.getByText(/Most home and mobile networks block port 25/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Send', exact: true }));
    await waitFor(() => expect(enqueued()).toHaveLength(1));
    expect(enqueued()[0]).toMatchObject({ route: 'direct', to: 'bob@example.org' });
  });
});

describe('the composer: a dry run with VRFY', () => {
  it('VRFY only when asked, from the dry run, each answer explained', async () => {
    const { user, dryRuns } = setup();
    await user.click(screen.getByRole('button', { name: 'Dry run' }));
    await screen.findByText('bob@example.org would be accepted');
    expect(dryRuns()[0]?.vrfy).toBeUndefined();
    await user.click(screen.getByRole('button', { name: 'Also ask with VRFY' }));
    const answers = await screen.findByRole('list', { name: 'VRFY and EXPN answers' });
    expect(answers.textContent).toContain('bob@example.org: No such address.');
    expect(dryRuns()[1]?.vrfy).toBe(true);
  });
});

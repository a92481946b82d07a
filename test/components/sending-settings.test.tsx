import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiProvider } from '../../src-renderer/api/api-context.tsx';
import { SendingSettings } from '../../src-renderer/features/accounts/SendingSettings.tsx';
import { fakeApi } from './fake-api.ts';

describe('the sending settings', () => {
  it('hands the core what was typed ("2.5" is not 25), so it can say what is wrong', async () => {
    const fake = fakeApi({
      'settings.get': () => ({ retryHours: 72, maxConnections: 8, undoSeconds: 5 }),
      'settings.save': (input: object) => ({ retryHours: 72, maxConnections: 8, undoSeconds: 5, ...input }),
    });
    const user = userEvent.setup();
    render(
      <ApiProvider api={fake.api}>
        <SendingSettings />
      </ApiProvider>,
    );
    const undo = await screen.findByLabelText('Undo send (seconds)');
    await user.clear(undo);
    await user.type(undo, '2.5');
    await user.click(screen.getByRole('button', { name: 'Save sending settings' }));
    await waitFor(() => expect(fake.calls.some((c) => c.channel === 'settings.save')).toBe(true));
    expect(fake.calls.find((c) => c.channel === 'settings.save')?.input).toMatchObject({ undoSeconds: 2.5 });
  });
});

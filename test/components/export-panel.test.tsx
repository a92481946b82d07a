import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiProvider } from '../../src-renderer/api/api-context.tsx';
import { ExportPanel } from '../../src-renderer/features/logs/ExportPanel.tsx';
import { fakeApi } from './fake-api.ts';

function Harness() {
  const [open, setOpen] = useState(true);
  return (
    <div>
      <button type="button" onClick={() => setOpen(false)}>
        Close export
      </button>
      <p>The rest of the app</p>
      {open ? <ExportPanel outboxId="m1" attemptId="a1" onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

/** The panel inside a stand-in app, with a core that answers the export with a short transcript. */
function renderPanel() {
  const { api } = fakeApi({
    'logs.export': () => ({
      fileName: 'posthorn-m1-transcript-safe.txt',
      mimeType: 'text/plain',
      content: '<- 220 hi',
    }),
  });
  render(
    <ApiProvider api={api}>
      <Harness />
    </ApiProvider>,
  );
}

describe('the export panel', () => {
  it('closes without taking the app with it (scrollIntoView returns a Promise in Chromium 156)', async () => {
    renderPanel();
    await screen.findByText('<- 220 hi');
    screen.getByRole('button', { name: 'Close export' }).click();
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Export' })).toBeNull());
    expect(screen.getByText('The rest of the app')).toBeDefined();
  });

  it('Esc inside the panel closes it, as its Close button does', async () => {
    renderPanel();
    const preview = await screen.findByText('<- 220 hi');
    preview.focus();
    fireEvent.keyDown(preview, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Export' })).toBeNull());
  });
});

import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiProvider } from '../../src-renderer/api/api-context.tsx';
import { loadOnDemand } from '../../src-renderer/components/load-on-demand.tsx';
import { AttemptCard } from '../../src-renderer/features/logs/AttemptCard.tsx';
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

  it('opens from an attempt once its code has loaded on demand with the focus inside it; Esc and Close give the focus back to Export…', async () => {
    const { api } = fakeApi({
      'attempts.transcript': () => [],
      'logs.export': () => ({ fileName: 'posthorn-m1.txt', mimeType: 'text/plain', content: '<- 250 queued' }),
    });
    const attempt = {
      id: 'a1',
      outboxId: 'm1',
      startedAt: Date.UTC(2026, 10, 29, 12),
      endedAt: Date.UTC(2026, 10, 29, 12, 0, 1),
      outcome: 'sent' as const,
      phase: 'data' as const,
      replyCode: 250,
      enhancedCode: '2.0.0',
      response: '250 2.0.0 queued',
      finalDotSent: true,
      error: null,
      facts: null,
    };
    render(
      <ApiProvider api={api}>
        <AttemptCard attempt={attempt} number={1} open onToggle={() => {}} />
      </ApiProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    await screen.findByText('<- 250 queued');
    // The focus goes into the panel it opened, so Esc closes it at once (it stayed on Export…).
    const format = screen.getByRole('combobox', { name: 'Format' });
    expect(document.activeElement).toBe(format);
    fireEvent.keyDown(format, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Export' })).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Export…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    await screen.findByText('<- 250 queued');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Export' })).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Export…' }));
  });
});

describe('Export… while its code is still loading', () => {
  it('Esc on the button closes it: the panel does not open later and take the focus', async () => {
    // The panel's code may already be loaded by an earlier test (it is kept for the page): then it
    // opens at once and asks for its preview.
    const { api } = fakeApi({
      'attempts.transcript': () => [],
      'logs.export': () => ({ fileName: 'posthorn-m2.txt', mimeType: 'text/plain', content: '<- 220 hi' }),
    });
    const attempt = {
      id: 'a2',
      outboxId: 'm2',
      startedAt: Date.UTC(2026, 10, 29, 12),
      endedAt: null,
      outcome: null,
      phase: 'connect' as const,
      replyCode: null,
      enhancedCode: null,
      response: null,
      finalDotSent: false,
      error: null,
      facts: null,
    };
    render(
      <ApiProvider api={api}>
        <AttemptCard attempt={attempt} number={1} open onToggle={() => {}} />
      </ApiProvider>,
    );
    const button = screen.getByRole('button', { name: 'Export…' });
    fireEvent.click(button);
    fireEvent.keyDown(button, { key: 'Escape' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('region', { name: 'Export' })).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});

describe('a part loaded on demand', () => {
  it('whose code cannot be fetched says so in its place, the rest keeps working, and Try again loads it', async () => {
    let fail = true;
    let requests = 0;
    const Part = loadOnDemand(async () => {
      requests++;
      if (fail) throw new TypeError('Failed to fetch dynamically imported module: /assets/Part.js');
      return ({ name }: { name: string }) => <p>Loaded for {name}</p>;
    }, 'Export');
    function Harness() {
      const [open, setOpen] = useState(true);
      return (
        <div>
          <button type="button" onClick={() => setOpen((o) => !o)}>
            Export…
          </button>
          {open ? <Part name="m1" /> : null}
        </div>
      );
    }
    render(<Harness />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Export could not be opened/);
    expect(alert.textContent).toMatch(/Failed to fetch dynamically imported module/);
    expect(alert.textContent).toMatch(/reload the page \(Ctrl\+R\)/);
    // Still failing: Try again says so again, with the focus back on Try again (not lost to the page).
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(requests).toBe(2));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Try again' })));
    // Closed and opened again, the part asks for its code afresh (a failure is not kept for the page).
    fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    await screen.findByText('Loaded for m1');
    expect(requests).toBe(3);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

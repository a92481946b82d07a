import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ViewBoundary } from '../../src-renderer/components/ViewBoundary.tsx';
import { fakeApi } from './fake-api.ts';

let failing = true;
function Flaky() {
  if (failing) throw new Error('item is undefined');
  return <p>The Outbox, working</p>;
}

function Harness({ api }: { api: ReturnType<typeof fakeApi>['api'] }) {
  const [view, setView] = useState('outbox');
  return (
    <>
      <button type="button" onClick={() => setView('logs')}>
        Logs
      </button>
      <ViewBoundary key={view} name={view === 'outbox' ? 'Outbox' : 'Logs'} api={api}>
        {view === 'outbox' ? <Flaky /> : <p>The Logs</p>}
      </ViewBoundary>
    </>
  );
}

describe('the error boundary around a view', () => {
  it('shows what happened in place of the view, reports it to the app log, and Reload view draws it again', async () => {
    failing = true;
    // React logs the caught error to the console; that is expected here.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fake = fakeApi({ 'app.reportError': () => ({ logged: true }) });
    const user = userEvent.setup();
    render(<Harness api={fake.api} />);
    const heading = await screen.findByRole('heading', { name: 'Outbox stopped working' });
    expect(screen.getByText('item is undefined')).toBeDefined();
    expect(document.activeElement).toBe(heading);
    await waitFor(() => expect(fake.calls.some((c) => c.channel === 'app.reportError')).toBe(true));
    const report = fake.calls.find((c) => c.channel === 'app.reportError')?.input as {
      view: string;
      message: string;
      stack: string;
    };
    expect(report).toMatchObject({ view: 'Outbox', message: 'item is undefined' });
    expect(report.stack).toContain('Flaky');

    failing = false;
    await user.click(screen.getByRole('button', { name: 'Reload view' }));
    expect(await screen.findByText('The Outbox, working')).toBeDefined();
    quiet.mockRestore();
  });

  it('leaves the rest of the app working: another view opens normally', async () => {
    failing = true;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fake = fakeApi({ 'app.reportError': () => ({ logged: true }) });
    const user = userEvent.setup();
    render(<Harness api={fake.api} />);
    await screen.findByRole('heading', { name: 'Outbox stopped working' });
    await user.click(screen.getByRole('button', { name: 'Logs' }));
    expect(await screen.findByText('The Logs')).toBeDefined();
    quiet.mockRestore();
  });
});

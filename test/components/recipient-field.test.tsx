import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiProvider } from '../../src-renderer/api/api-context.tsx';
import { RecipientField } from '../../src-renderer/features/compose/RecipientField.tsx';
import { fakeApi } from './fake-api.ts';

function Harness({ start = '' }: { start?: string }) {
  const [value, setValue] = useState(start);
  const [typing, setTyping] = useState('');
  return (
    <>
      <RecipientField label="To" value={value} onChange={setValue} onTyping={setTyping} />
      <output aria-label="value">{value}</output>
      <output aria-label="typing">{typing}</output>
    </>
  );
}

function setup(start?: string) {
  const fake = fakeApi({ 'compose.recipients': () => [] });
  render(
    <ApiProvider api={fake.api}>
      <Harness start={start} />
    </ApiProvider>,
  );
  return {
    user: userEvent.setup(),
    field: screen.getByLabelText('To'),
    out: (name: string) => screen.getByLabelText(name).textContent,
  };
}

describe('the recipient field', () => {
  it('makes chips at a comma, a semicolon or Enter, and keeps a comma inside a quoted name', async () => {
    const { user, field, out } = setup();
    await user.type(field, 'ada@example.org,"Doe, Jane" <jane@example.org>;bob@example.org{Enter}');
    expect(out('value')).toBe('ada@example.org, "Doe, Jane" <jane@example.org>, bob@example.org');
    expect(screen.getByRole('list', { name: 'To recipients' }).querySelectorAll('li')).toHaveLength(3);
    expect(out('typing')).toBe('');
  });

  it('marks an invalid address with its reason, for screen readers too', async () => {
    const { user, field } = setup();
    await user.type(field, 'not an address,');
    expect(screen.getByText(/“not an address”/)).toBeDefined();
    expect(field.getAttribute('aria-invalid')).toBe('true');
  });

  it('Backspace in the empty box takes the last chip back for editing', async () => {
    const { user, field, out } = setup('ada@example.org, bob@example.org');
    await user.click(field);
    await user.keyboard('{Backspace}');
    expect(out('value')).toBe('ada@example.org');
    expect((field as HTMLInputElement).value).toBe('bob@example.org');
  });

  it('removing a chip with its button keeps the focus in the field', async () => {
    const { user, field, out } = setup('ada@example.org, bob@example.org');
    await user.click(screen.getByRole('button', { name: 'Remove ada@example.org' }));
    expect(out('value')).toBe('bob@example.org');
    expect(document.activeElement).toBe(field);
  });

  it('hands on what is typed but not yet a chip, so Send does not miss it', async () => {
    const { user, field, out } = setup();
    await user.type(field, 'ada@exa');
    expect(out('typing')).toBe('ada@exa');
  });
});

import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LinkDialog, linkFromInput, linkProblem } from '../../src-renderer/features/compose/LinkDialog.tsx';

function openDialog(current: string | null = null) {
  const onApply = vi.fn();
  render(<LinkDialog current={current} onApply={onApply} onRemove={() => {}} onClose={() => {}} />);
  return { onApply, field: screen.getByLabelText('Link address') };
}

describe('the link dialog', () => {
  it('takes a typed full address as it is, without a second https://', async () => {
    const user = userEvent.setup();
    const { onApply, field } = openDialog();
    await user.type(field, 'https://example.com/plan{Enter}');
    expect(onApply).toHaveBeenCalledWith('https://example.com/plan');
  });

  it('takes a pasted full address as it is', async () => {
    const user = userEvent.setup();
    const { onApply, field } = openDialog();
    await user.click(field);
    await user.paste('https://example.com/compass');
    await user.keyboard('{Enter}');
    expect(onApply).toHaveBeenCalledWith('https://example.com/compass');
  });

  it('adds the scheme the person left out, and mailto: to a mail address', async () => {
    const user = userEvent.setup();
    const { onApply, field } = openDialog();
    await user.type(field, 'example.com/a{Enter}');
    expect(onApply).toHaveBeenCalledWith('https://example.com/a');
    expect(linkFromInput('ada@example.com')).toBe('mailto:ada@example.com');
    expect(linkFromInput('https://https://example.com')).toBe('https://example.com');
    expect(linkFromInput('https://mailto:ada@example.com')).toBe('mailto:ada@example.com');
  });

  it('refuses a doubled scheme that could not be repaired, and anything not web or mail', async () => {
    expect(linkProblem('https://https:example.com')).toMatch(/scheme twice/);
    expect(linkProblem('javascript:alert(1)')).toMatch(/web address/);
    const user = userEvent.setup();
    const { onApply, field } = openDialog();
    await user.type(field, 'javascript:alert(1){Enter}');
    expect(onApply).not.toHaveBeenCalled();
    expect(screen.getByText(/Use a web address/)).toBeDefined();
  });

  it('starts with the current link when changing one', () => {
    const { field } = openDialog('https://example.org/old');
    expect((field as HTMLInputElement).value).toBe('https://example.org/old');
  });
});

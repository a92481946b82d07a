import { describe, expect, it } from 'vitest';
import { cleanFileName } from '../../../src-main/core/compose/attachment-store.ts';

describe('an attachment name as a person reads it', () => {
  it.each([
    // A right-to-left override makes "invoice‮fdp.exe" show as "invoiceexe.pdf".
    ['a right-to-left override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['isolates and marks', '\u2066report\u2069\u200F.pdf\u200E', 'report.pdf'],
    ['zero-width characters and a byte-order mark', 'pay\u200Bment\u200D\uFEFF.xlsx', 'payment.xlsx'],
    ['a soft hyphen and a word joiner', 'con\u00ADtract\u2060.docx', 'contract.docx'],
    ['C0 and C1 controls and line separators', 'a\u0007b\u0085c\u2028d.txt', 'abcd.txt'],
    ['folders', '../../etc/passwd', 'passwd'],
    // Blank or ignorable characters that push the real ending out of sight (attacker review).
    [
      'a run of braille blanks before the real ending',
      `Invoice_2026.pdf${'\u2800'.repeat(80)}.exe`,
      'Invoice_2026.pdf .exe',
    ],
    ['Hangul fillers and ignorables', 'a\u3164b\uFFA0c\u034Fd\u17B4e\uFE0F.txt', 'abcde.txt'],
    ['wide spaces, collapsed to one', 'report\u2003\u3000\u00A0  final.pdf', 'report final.pdf'],
  ])('loses %s', (_what, name, expected) => {
    expect(cleanFileName(name)).toBe(expected);
  });

  it('keeps letters of every script, and emoji', () => {
    expect(cleanFileName('Отчёт 2026 — 報告書 שלום.pdf')).toBe('Отчёт 2026 — 報告書 שלום.pdf');
    expect(cleanFileName('photo 📷.jpg')).toBe('photo 📷.jpg');
  });

  it('a long name is cut in its middle: the real ending stays, and no character is cut in half', () => {
    const long = `invoice.pdf${'_'.repeat(300)}.exe`;
    const cleaned = cleanFileName(long);
    expect([...cleaned].length).toBeLessThanOrEqual(255);
    expect(cleaned.endsWith('.exe')).toBe(true);
    expect(cleaned.startsWith('invoice.pdf')).toBe(true);
    const emoji = cleanFileName(`${'a'.repeat(254)}😀.exe`);
    expect(emoji.endsWith('.exe')).toBe(true);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('"." and ".." are not names', () => {
    expect(cleanFileName('.')).toBe('attachment');
    expect(cleanFileName('..')).toBe('attachment');
  });

  it('a name of nothing visible becomes "attachment"', () => {
    expect(cleanFileName('\u202E\u200B')).toBe('attachment');
  });
});

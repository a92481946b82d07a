import { convert } from 'html-to-text';

/**
 * The plain text of a formatted message: links as "text [url]", lists with bullets, images
 * left out (they are attachments). The same conversion makes the text/plain part of every
 * formatted message and the text the composer keeps when the person switches to plain text
 * (`compose.plainText`), so what they then edit is what a plain-text reader would have seen.
 * `wrap`: the line length (78 for mail; false in the composer, where the text area wraps).
 */
export function plainTextOf(html: string, wrap: number | false = 78): string {
  return convert(html, {
    wordwrap: wrap,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
    ],
  });
}

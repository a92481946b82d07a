import { choose, plural } from '../../../src-main/shared/wording.ts';

/** What switching a formatted message to plain text changes. */
export type FormattingLoss = { styles: number; links: number; images: number };

const STYLED = 'strong, b, em, i, u, s, code, pre, h1, h2, h3, blockquote, ul, ol, hr';

/** Counts, in the editor's HTML, what plain text cannot keep as it is. */
export function formattingIn(html: string): FormattingLoss {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return {
    styles: doc.querySelectorAll(STYLED).length,
    links: doc.querySelectorAll('a[href]').length,
    images: doc.querySelectorAll('img').length,
  };
}

export const losesNothing = (loss: FormattingLoss) => loss.styles + loss.links + loss.images === 0;

/** The question's sentences: what goes, what is kept another way. */
export function lossWording(loss: FormattingLoss): string[] {
  return [
    loss.styles > 0 ? 'Bold, italics, headings, lists and quotes become plain text.' : null,
    loss.links > 0 ? `${plural(loss.links, 'link is', 'links are')} kept as text with the address in brackets.` : null,
    loss.images > 0
      ? `${plural(loss.images, 'image')} in the text ${choose(loss.images, 'goes', 'go')} out as ${choose(loss.images, 'an ordinary attachment', 'ordinary attachments')} instead.`
      : null,
  ].filter((line): line is string => line !== null);
}

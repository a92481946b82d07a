import sanitizeHtml from 'sanitize-html';

/**
 * What the editor may produce and a recipient's mail program will show, and nothing else:
 * no scripts, styles, forms or frames, and no remote content (images only from `cid:`,
 * i.e. attached to this very message). Links keep only web and mail addresses.
 */
const POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'h1',
    'h2',
    'h3',
    'code',
    'pre',
    'hr',
    'img',
  ],
  // rel and target are always set by the transform below, whatever came in.
  allowedAttributes: { a: ['href', 'rel', 'target'], img: ['src', 'alt'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['cid'] },
  allowProtocolRelative: false,
  // An image whose source was not allowed (a remote one) goes entirely.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  transformTags: {
    // A link opens outside the mail program and sends no referrer.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer', target: '_blank' } }),
  },
};

export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, POLICY);
}

/** The formatted message as a whole HTML document, so every mail program lays it out the same. */
export function htmlDocument(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;
}

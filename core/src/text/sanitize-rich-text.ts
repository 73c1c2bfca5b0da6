import sanitizeHtml from 'sanitize-html';

/** The elements a richText field keeps; everything else is removed (its text kept, see below). */
export const richTextElements: readonly string[] = [
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre',
  'h1', 'h2', 'h3', 'h4', 'a', 'span',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

/** Link targets a richText field keeps. */
const linkProtocols = new Set(['http:', 'https:', 'mailto:']);

// Elements removed together with everything inside them: code, styles, embedded documents and
// foreign content (SVG, MathML), whose text is not text the author meant to show.
const removedWithContent = [
  'script', 'style', 'textarea', 'option', 'select', 'xmp', 'noscript', 'noembed', 'noframes',
  'plaintext', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template', 'title',
  'head', 'svg', 'math', 'canvas', 'audio', 'video', 'picture', 'portal', 'dialog',
];

const cellSpan = /^[1-9]\d{0,2}$/u;

const options: sanitizeHtml.IOptions = {
  allowedTags: [...richTextElements],
  allowedAttributes: { a: ['href', 'rel', 'target'], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: removedWithContent,
  allowVulnerableTags: false,
  nestingLimit: 64,
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  transformTags: {
    a: (_tagName, attributes): sanitizeHtml.Tag => {
      const href = safeLink(attributes.href);
      // A link without a usable target keeps its text as a plain span.
      if (href === undefined) return { tagName: 'span', attribs: {} };
      return { tagName: 'a', attribs: { href, rel: 'noopener noreferrer nofollow', target: '_blank' } };
    },
    th: (tagName, attributes) => ({ tagName, attribs: cellAttributes(attributes) }),
    td: (tagName, attributes) => ({ tagName, attribs: cellAttributes(attributes) }),
  },
};

/**
 * Sanitises the HTML of a richText field down to a safe subset: paragraphs and line breaks, bold,
 * italic, underline, strike-through, lists, quotes, code, headings h1–h4, spans without
 * attributes, tables (with colspan and rowspan) and links. A link keeps only an absolute http,
 * https or mailto target, re-serialised the way a browser reads it (so `jav&#x09;ascript:` and
 * other spellings cannot sneak through), and always gets `rel="noopener noreferrer nofollow"` and
 * `target="_blank"`. Every other attribute (event handlers, style, class, id) is removed. Scripts,
 * styles, SVG, MathML, iframes, forms, media and comments are removed with their content; other
 * unknown elements are removed but their text is kept. All text is re-escaped, so the output
 * parses the same way in any browser. Sanitising the output again changes nothing.
 *
 * @example
 * sanitizeRichText('<p onclick="x()">お見積り<script>alert(1)</script></p>'); // '<p>お見積り</p>'
 * sanitizeRichText('<a href="https://example.jp">site</a>');
 * // '<a href="https://example.jp/" rel="noopener noreferrer nofollow" target="_blank">site</a>'
 */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, options);
}

function safeLink(href: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  // The WHATWG parser is the one browsers use: it strips the whitespace and control characters
  // that browsers ignore inside a scheme, so what it reports as the protocol is what a click does.
  const url = URL.parse(href.trim());
  return url && linkProtocols.has(url.protocol) ? url.href : undefined;
}

function cellAttributes(attributes: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const kept: sanitizeHtml.Attributes = {};
  for (const name of ['colspan', 'rowspan']) {
    const value = attributes[name];
    if (value !== undefined && cellSpan.test(value)) kept[name] = value;
  }
  return kept;
}

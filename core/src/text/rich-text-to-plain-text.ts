import { Parser } from 'htmlparser2';

// Elements that start a new line of text; table cells are separated by a space.
const lineElements = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'ul',
]);
const cellElements = new Set(['td', 'th']);
// Elements whose content is not text a reader sees.
const hiddenElements = new Set(['script', 'style', 'template', 'textarea', 'noscript', 'svg', 'math', 'head', 'title', 'iframe', 'object']);

/**
 * The text a reader sees in rich-text HTML, for search and for plain-text channels (notification
 * mails, CSV export): entities decoded, one line per paragraph, list item, heading, table row and
 * `<br>`, table cells separated by a space, spaces within a line collapsed, blank lines removed.
 * The content of scripts, styles, SVG and similar is left out, so the function is also safe on
 * unsanitised input.
 *
 * @example
 * richTextToPlainText('<p>お世話に<b>なって</b>おります。</p><ul><li>見積&amp;請求</li></ul>');
 * // 'お世話になっております。\n見積&請求'
 */
export function richTextToPlainText(html: string): string {
  let text = '';
  let hiddenDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (hiddenElements.has(name)) hiddenDepth += 1;
        else if (lineElements.has(name)) text += '\n';
        else if (cellElements.has(name)) text += ' ';
      },
      onclosetag(name) {
        if (hiddenElements.has(name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        else if (lineElements.has(name)) text += '\n';
        else if (cellElements.has(name)) text += ' ';
      },
      ontext(chunk) {
        if (hiddenDepth === 0) text += chunk;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/gu, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

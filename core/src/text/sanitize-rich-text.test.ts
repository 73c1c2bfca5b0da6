import fc from 'fast-check';
import { parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import { richTextToPlainText } from './rich-text-to-plain-text.ts';
import { richTextElements, sanitizeRichText } from './sanitize-rich-text.ts';
import { xssPayloads } from './xss-payloads.fixture.ts';

interface ParsedNode {
  nodeName: string;
  namespaceURI?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: ParsedNode[];
  content?: ParsedNode;
}

const allowedAttributes: Record<string, readonly string[]> = { a: ['href', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] };

/**
 * Parses sanitised HTML the way a browser does (parse5 implements the HTML standard's tree
 * construction) and lists everything in the resulting DOM that could run code or leave the subset.
 */
function executableConstructs(html: string): string[] {
  const found: string[] = [];
  const visit = (node: ParsedNode) => {
    if (node.nodeName === '#comment') found.push('comment');
    else if (!node.nodeName.startsWith('#')) {
      if (node.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`foreign element ${node.nodeName}`);
      if (!richTextElements.includes(node.nodeName)) found.push(`element ${node.nodeName}`);
      for (const { name, value } of node.attrs ?? []) {
        if (!(allowedAttributes[node.nodeName] ?? []).includes(name)) found.push(`attribute ${node.nodeName}[${name}]`);
        if (name === 'href' && !['http:', 'https:', 'mailto:'].includes(URL.parse(value)?.protocol ?? '')) found.push(`link ${value}`);
      }
      if (node.nodeName === 'a' && node.attrs?.find((attribute) => attribute.name === 'rel')?.value !== 'noopener noreferrer nofollow') found.push('link without rel');
    }
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content) visit(node.content);
  };
  visit(parseFragment(html) as unknown as ParsedNode);
  return found;
}

describe('sanitizeRichText', () => {
  it(`leaves nothing executable in any of ${xssPayloads.length} XSS payloads, as a browser would parse the result`, () => {
    expect(xssPayloads.length).toBeGreaterThanOrEqual(30);
    for (const payload of xssPayloads) {
      const sanitized = sanitizeRichText(payload);
      expect({ payload, found: executableConstructs(sanitized) }).toEqual({ payload, found: [] });
      expect(sanitizeRichText(sanitized)).toBe(sanitized);
    }
  });

  it('also leaves nothing executable when payloads are nested in allowed markup or each other', () => {
    const wrapped = fc.tuple(fc.constantFrom(...xssPayloads), fc.constantFrom(...xssPayloads), fc.constantFrom('p', 'table', 'a href="https://x.jp/"', 'pre', 'li', 'code', 'td'));
    fc.assert(
      fc.property(wrapped, ([outer, inner, element]) => {
        const html = `<${element}>${outer.replace('>', `>${inner}`)}</${element.split(' ')[0]}>`;
        expect(executableConstructs(sanitizeRichText(html))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['<img src=x onerror=alert(1)>', ''],
    ['<p onclick="alert(1)">text</p>', '<p>text</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<span>x</span>'],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', '<span>x</span>'],
    ['<a href="/relative">x</a>', '<span>x</span>'],
    ['<svg onload=alert(1)><text>hidden</text></svg>after', 'after'],
    ['<script>alert(1)</script>kept', 'kept'],
    ['<div><font color=red>Text</font></div>', 'Text'],
    ['<!-- note -->text', 'text'],
    ['<span style="color:red" class="x">赤</span>', '<span>赤</span>'],
    ['<td colspan="2 onmouseover=alert(1)" rowspan="3">x</td>', '<td rowspan="3">x</td>'],
    ['<p>1 &lt; 2 &amp;&amp; &quot;ok&quot;</p>', '<p>1 &lt; 2 &amp;&amp; "ok"</p>'],
  ])('sanitises %j to %j', (input, output) => {
    expect(sanitizeRichText(input)).toBe(output);
  });

  it('adds rel and target to links and keeps http, https and mailto targets', () => {
    expect(sanitizeRichText('<a href="HTTPS://Example.JP/a?b=1&amp;c=2" target="_self" rel="opener">x</a>')).toBe(
      '<a href="https://example.jp/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">x</a>',
    );
    expect(sanitizeRichText('<a href="mailto:sales@example.co.jp">mail</a>')).toBe(
      '<a href="mailto:sales@example.co.jp" rel="noopener noreferrer nofollow" target="_blank">mail</a>',
    );
  });

  it('keeps ordinary Japanese and English formatting intact', () => {
    const document = [
      '<h1>ご提案</h1><h2>Proposal</h2><h3>概要</h3><h4>Summary</h4>',
      '<p>いつも<strong>お世話に</strong>なっております。<br />株式会社ＡＢＣの<em>山田</em>です。<b>Bold</b> <i>italic</i></p>',
      '<ul><li>初期費用：<u>無料</u></li><li><s>旧価格</s> 新価格 ¥10,000</li></ul><ol><li>First</li><li>Second</li></ol>',
      '<blockquote>お客様の声</blockquote><pre><code>if (a &lt; b &amp;&amp; c &gt; d) {}</code></pre>',
      '<table><caption>見積</caption><thead><tr><th>項目</th><th>金額</th></tr></thead>',
      '<tbody><tr><td colspan="2">合計</td></tr></tbody><tfoot><tr><td>税</td><td>10%</td></tr></tfoot></table>',
      '<p><span>詳細は</span><a href="https://example.co.jp/path?q=1&amp;r=2" rel="noopener noreferrer nofollow" target="_blank">こちら</a>。</p>',
    ].join('');
    expect(sanitizeRichText(document)).toBe(document);
  });

  it('is idempotent on arbitrary markup', () => {
    const tag = fc.constantFrom('p', 'b', 'a', 'script', 'svg', 'math', 'style', 'table', 'td', 'li', 'span', 'img', 'iframe', 'textarea', 'pre');
    const attribute = fc.constantFrom('', ' href="https://x.jp"', ' href="javascript:x"', ' onclick="x"', ' style="x"', ' colspan=2', ' href=mailto:a@b.jp');
    const piece = fc.oneof(
      fc.tuple(tag, attribute).map(([name, attributes]) => `<${name}${attributes}>`),
      tag.map((name) => `</${name}>`),
      fc.constantFrom('text', '日本語', '&amp;', '&lt;', '<', '>', '"', "'", '&#106;', '<!--', '-->', '<![CDATA[', ']]>', ' '),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const once = sanitizeRichText(pieces.join(''));
        expect(sanitizeRichText(once)).toBe(once);
        expect(executableConstructs(once)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('richTextToPlainText', () => {
  it('gives one line per block, decoded entities and no markup', () => {
    const html = '<h2>件名</h2><p>お世話に<b>なって</b>おります。<br>山田&amp;佐藤</p><ul><li>一</li><li>二</li></ul><table><tr><td>項目</td><td>¥1,000</td></tr></table>';
    expect(richTextToPlainText(html)).toBe('件名\nお世話になっております。\n山田&佐藤\n一\n二\n項目 ¥1,000');
  });

  it('leaves out scripts, styles and foreign content even in unsanitised input', () => {
    expect(richTextToPlainText('<p>見積</p><script>alert(1)</script><style>p{}</style><svg><text>x</text></svg>')).toBe('見積');
  });

  it('returns plain text unchanged apart from spaces', () => {
    expect(richTextToPlainText('  ただの  テキスト ')).toBe('ただの テキスト');
    expect(richTextToPlainText('')).toBe('');
  });
});

/**
 * The custom-module allowlist, as data: the elements and attributes a module may use and the URLs
 * its links and images may hold. The engine's check (engine/text/module-safety.ts) refuses anything
 * else; the editor's preview (renderer ModulePreview) sanitizes with DOMPurify under the same lists.
 */
export const ALLOWED_TAGS = [
  ...['div', 'span', 'p', 'br', 'hr', 'section', 'article', 'header', 'footer', 'nav', 'main', 'aside', 'figure', 'figcaption'],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var', 'q', 'cite', 'dfn'],
  ...['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'details', 'summary', 'a', 'img', 'picture', 'abbr', 'time', 'mark', 'data'],
  ...['strong', 'em', 'b', 'i', 'u', 's', 'small', 'sub', 'sup', 'del', 'ins', 'bdi', 'bdo', 'wbr', 'ruby', 'rt', 'rp'],
  ...['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'style', 'label', 'progress', 'meter'],
];
export const ALLOWED_ATTR = [
  ...['class', 'id', 'title', 'lang', 'dir', 'style', 'role', 'hidden', 'tabindex', 'translate'],
  ...['href', 'target', 'rel', 'hreflang', 'src', 'alt', 'width', 'height', 'loading', 'decoding'],
  ...[
    'colspan',
    'rowspan',
    'scope',
    'headers',
    'span',
    'start',
    'reversed',
    'type',
    'value',
    'datetime',
    'open',
    'min',
    'max',
    'low',
    'high',
    'optimum',
  ],
];

/** Links go to the web, mail or inside the module; images are embedded data:image URLs. */
export const ALLOWED_URI_REGEXP = /^(?:https?:|mailto:|#|data:image\/(?:png|jpeg|gif|webp|avif)[;,])/i;

/** The only images a module may show: embedded PNG, JPEG, GIF, WebP or AVIF data URLs (nothing is fetched). */
export const EMBEDDED_IMAGE = /^data:image\/(png|jpeg|gif|webp|avif)[;,]/i;

/** Whether a URL is an embedded image; like browsers, ASCII whitespace and control characters inside it are dropped first. */
export function embeddedImageUrl(url: string): boolean {
  return EMBEDDED_IMAGE.test(url.replace(/[\u0000-\u0020]+/g, ''));
}

/** A module is CSS unless its first non-blank character opens markup. */
export function isHtmlModule(code: string): boolean {
  return /^\s*</.test(code);
}

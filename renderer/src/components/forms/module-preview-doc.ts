/**
 * The document a custom module's preview frame shows, built from the module after sanitizing: an
 * HTML module through DOMPurify under the module allowlist (shared/module-allowlist.ts); a CSS
 * module as a stylesheet over sample markup. The document carries its own Content-Security-Policy
 * (nothing loads but inline styles and embedded images); the frame adds a sandbox without scripts.
 */
import DOMPurify from 'dompurify';
import { ALLOWED_ATTR, ALLOWED_TAGS, ALLOWED_URI_REGEXP, embeddedImageUrl, isHtmlModule } from '@shared/module-allowlist.ts';

export const PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Markup a CSS module's rules can be seen on: the elements modules usually style. */
const SAMPLE = `<main class="module-sample">
<h1>Heading</h1><h2>Subheading</h2>
<p>A paragraph of text with <a href="#">a link</a>, <strong>strong</strong> and <em>emphasis</em>.</p>
<ul><li>First item</li><li>Second item</li></ul>
<blockquote>A quotation.</blockquote>
<table><caption>A table</caption><tr><th>Name</th><th>Value</th></tr><tr><td>Cell</td><td>42</td></tr></table>
</main>`;

const SCAFFOLDING = new Set(['remove', 'html', 'head', 'body']);

/** `<` inside a stylesheet would let `</style>` close it early: CSS escapes it. */
const cssText = (css: string) => css.replace(/</g, '\\3c ');

export interface PreviewDoc {
  srcdoc: string;
  kind: 'html' | 'css';
  /** How many elements or attributes the sanitizer took out (scripts, handlers, …): they are not shown. */
  removed: number;
}

export function previewDoc(code: string): PreviewDoc {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}"><title>Module preview</title>`;
  if (!isHtmlModule(code)) {
    return { kind: 'css', removed: 0, srcdoc: `${head}<style>${cssText(code)}</style></head><body>${SAMPLE}</body></html>` };
  }
  // As the engine's check: an image must be embedded (data:image), never fetched.
  DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName === 'src' && !embeddedImageUrl(data.attrValue)) data.keepAttr = false;
  });
  const body = DOMPurify.sanitize(code, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: true,
    ALLOW_ARIA_ATTR: true,
    ADD_URI_SAFE_ATTR: ALLOWED_ATTR.filter((a) => a !== 'href' && a !== 'src'),
    ALLOWED_URI_REGEXP,
    FORCE_BODY: true,
  });
  DOMPurify.removeHook('uponSanitizeAttribute');
  // DOMPurify also lists the scaffolding it parses a fragment in (FORCE_BODY's <remove>, <body>): not the module's own.
  const removed = DOMPurify.removed.filter((r) => !('element' in r) || !SCAFFOLDING.has(r.element.nodeName.toLowerCase())).length;
  return { kind: 'html', removed, srcdoc: `${head}</head><body>${body}</body></html>` };
}

// @vitest-environment jsdom
/**
 * The custom-module preview's document (renderer module-preview-doc.ts), in a DOM: an HTML module
 * is sanitized under the module allowlist (a script or handler is removed and counted), a stylesheet
 * cannot close its <style> early, and every document carries the preview's Content-Security-Policy.
 */
import { describe, expect, it } from 'vitest';
import { PREVIEW_CSP, previewDoc } from '../../renderer/src/components/forms/module-preview-doc.ts';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('module preview document', () => {
  it('keeps allowed markup and styles, removes scripts and handlers and counts them', () => {
    const d = previewDoc('<style>.n{color:red}</style><h2 class="n" onclick="x()">Notices</h2><script>alert(1)</script>');
    expect(d.kind).toBe('html');
    expect(d.removed).toBe(2);
    const doc = parse(d.srcdoc);
    expect(doc.querySelector('h2.n')?.textContent).toBe('Notices');
    expect(doc.querySelector('h2')?.getAttribute('onclick')).toBeNull();
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.querySelector('style')?.textContent).toBe('.n{color:red}');
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(PREVIEW_CSP);
  });

  it('refuses links and images the allowlist refuses', () => {
    const d = previewDoc('<a href="javascript:alert(1)">x</a><img src="https://example.com/t.png" alt="t">');
    const doc = parse(d.srcdoc);
    expect(doc.querySelector('a')?.getAttribute('href')).toBeNull();
    expect(doc.querySelector('img')?.getAttribute('src')).toBeNull();
    expect(d.removed).toBe(2);
  });

  it('a stylesheet is shown on sample markup and cannot end its <style> early', () => {
    const d = previewDoc('h1 { color: blue } </style><script>alert(1)</script>');
    expect(d.kind).toBe('css');
    const doc = parse(d.srcdoc);
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelector('style')?.textContent).toContain('\\3c /style>');
    expect(doc.querySelector('h1')?.textContent).toBe('Heading');
    expect(PREVIEW_CSP).toMatch(/default-src 'none'/);
  });
});

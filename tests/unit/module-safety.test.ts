/**
 * The custom-module allowlist (engine/text/module-safety.ts, css-safety.ts): the bypasses of the
 * old regex blocklist are refused, every violation is reported at once with its line and column,
 * and ordinary CSS/HTML modules pass.
 */
import { describe, expect, it } from 'vitest';
import { checkModuleCode, describeModuleViolations } from '../../engine/text/module-safety.ts';

const rules = (code: string) => checkModuleCode(code).map((v) => v.rule);

describe('custom module allowlist', () => {
  it('passes ordinary CSS and HTML modules', () => {
    const css = `.panel{backdrop-filter:blur(8px);border-radius:12px;background:rgba(255,255,255,.2)}
      @media (max-width: 600px) { .panel h1 { font: 700 2rem serif; margin: 0 } }
      @keyframes pulse { from { opacity: 1 } to { opacity: .5 } }
      .icon { background-image: url("data:image/png;base64,iVBORw0KGgo="); --accent: #c33; color: var(--accent) }`;
    expect(checkModuleCode(css)).toEqual([]);
    const html = `<style>.card{display:grid;gap:8px}</style>
      <section class="card" role="region" aria-label="Quest" data-id="7">
        <h2>Moon <em>blade</em></h2><a href="https://example.org/lore" target="_blank" rel="noopener">lore</a>
        <a href="#top">top</a><img alt="" src="data:image/webp;base64,UklGRg==" width="32">
        <table><tr><td colspan="2" style="padding: 4px; color: #333">x</td></tr></table>
      </section>`;
    expect(checkModuleCode(html)).toEqual([]);
  });

  it('refuses an entity-encoded javascript: link, a meta refresh and @import — the old filter let all three through', () => {
    expect(rules('<a href="jav&#x61;script:alert(1)">x</a>')).toEqual(['url_scheme']);
    expect(rules('<a href="  JaVa\tScRiPt:alert(1)">x</a>')).toEqual(['url_scheme']);
    expect(rules('<meta http-equiv="refresh" content="0;url=https://evil.example">')).toEqual(['meta_element']);
    expect(rules('@import url(https://evil.example/x.css); .a{color:red}')).toEqual(['css_import', 'css_url']);
    expect(rules('<style>@import "x.css";</style><p>hi</p>')).toEqual(['css_import']);
  });

  it('reports every violation at once, each with what and where', () => {
    const code = [
      '<div class="a" onclick="steal()">',
      '  <a href="jav&#x61;script:alert(1)">x</a>',
      '  <iframe src="https://evil.example"></iframe>',
      '</div>',
      '<style>',
      '.a { behavior: url(x.htc); -moz-binding: url(x.xml#b); width: expression(alert(1)) }',
      '.b { background: url(https://tracker.example/p.png) }',
      '</style>',
    ].join('\n');
    const v = checkModuleCode(code);
    expect(v.map((x) => [x.rule, x.line, x.column])).toEqual([
      ['event_handler', 1, 16],
      ['url_scheme', 2, 6],
      ['embedded_content', 3, 3],
      ['css_behavior', 6, 6],
      ['css_url', 6, 16],
      ['css_behavior', 6, 28],
      ['css_url', 6, 42],
      ['css_expression', 6, 63],
      ['css_url', 7, 18],
    ]);
    const msg = describeModuleViolations(v) as string;
    expect(msg).toMatch(
      /^custom modules are CSS\/HTML only, on an allowlist; 9 problems: line 1, column 16: an inline event handler \(onclick=\) on <div>;/,
    );
    expect(msg).toContain('line 7, column 18: url(https://tracker.example/p.png): only embedded data:image');
  });

  it('sees through CSS escapes, custom properties, image-set and style attributes', () => {
    expect(rules('.a{behavio\\72:url(x)}')).toContain('css_behavior');
    expect(rules('.a{background:u\\72l(http://e.example/x)}')).not.toEqual([]);
    expect(rules('.a{--x:url(http://e.example/x);background:var(--x)}')).toEqual(['css_raw']);
    expect(rules('.a{background:image-set("https://e.example/x.png" 1x)}')).toEqual(['css_url']);
    expect(rules('<p style="background:url(https://e.example/p.png)">x</p>')).toEqual(['css_url']);
    expect(rules('.a{filter:progid:DXImageTransform.Microsoft.Alpha(opacity=50)}')).not.toEqual([]);
  });

  it('refuses markup outside the allowlist, and scripts smuggled into a stylesheet', () => {
    expect(rules('<body onload="x()"><p>hi</p>')).toEqual(['document_attribute']);
    expect(rules('<form action="https://evil.example"><input name="q"></form>')).toEqual(['form_element', 'element']);
    expect(rules('<svg><script>alert(1)</script></svg>')).toEqual(['svg_element', 'script_element']);
    expect(rules('<img src="https://tracker.example/p.gif">')).toEqual(['url']);
    expect(rules('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toEqual(['url']);
    expect(rules('.a{} <script>alert(1)</script>')).toContain('script_element');
    expect(rules('<link rel="stylesheet" href="https://evil.example/x.css">')).toEqual(['link_element']);
    expect(rules('<base href="https://evil.example/">')).toEqual(['base_element']);
  });
});

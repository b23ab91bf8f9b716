/**
 * The custom-module check the studio and the marketplace server share: a module is CSS or an HTML
 * fragment, parsed with jsdom's HTML parser (parse5, with source locations) and held against an allowlist of elements,
 * attributes and URL schemes, then sanitized with DOMPurify under the same allowlist; <style>
 * blocks and style="" attributes go through the CSS allowlist (css-safety.ts). Every violation is
 * reported at once, each naming what and where (line and column). Anything DOMPurify removes that
 * the allowlist walk did not already name is reported too, so the maintained sanitizer has the last
 * word. Modules are refused, never silently rewritten: DOMPurify does not look inside CSS, so its
 * output alone would not be safe to store.
 */
import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from 'dompurify';
import { JSDOM } from 'jsdom';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { checkCss, embeddedImageUrl } from './css-safety.ts';
import { type ModuleViolation, formatViolation } from './module-violation.ts';
import { ALLOWED_ATTR, ALLOWED_TAGS, ALLOWED_URI_REGEXP, isHtmlModule } from '../../shared/module-allowlist.ts';

export { isHtmlModule };

export { type ModuleViolation, formatViolation } from './module-violation.ts';

/** Why common refused elements are refused (anything else off the allowlist gets a generic sentence). */
const ELEMENT_REASONS: Record<string, [string, string]> = {
  script: ['script_element', 'a <script> element (modules are CSS/HTML only)'],
  iframe: ['embedded_content', 'an embedded <iframe>'],
  frame: ['embedded_content', 'an embedded <frame>'],
  object: ['embedded_content', 'an embedded <object>'],
  embed: ['embedded_content', 'an embedded <embed>'],
  meta: ['meta_element', 'a <meta> element (http-equiv refresh and redirects are not allowed)'],
  link: ['link_element', 'a <link> element (loads another resource)'],
  base: ['base_element', 'a <base> element (changes where every link points)'],
  form: ['form_element', 'a <form> (modules may not submit anything)'],
  svg: ['svg_element', 'an <svg> element (SVG can carry script; embed it as a data:image URL instead)'],
  math: ['math_element', 'a <math> element'],
};

const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: true,
  ALLOW_ARIA_ATTR: true,
  // Only href and src hold URLs; every other allowed attribute's value is free text to DOMPurify.
  ADD_URI_SAFE_ATTR: ALLOWED_ATTR.filter((a) => a !== 'href' && a !== 'src'),
  FORCE_BODY: true,
  KEEP_CONTENT: true,
  ALLOWED_URI_REGEXP,
};

const SCAFFOLDING = new Set(['remove', 'body', 'head', 'html']);

let purifier: DOMPurify | undefined;
function purify(): DOMPurify {
  if (!purifier) {
    purifier = createDOMPurify(new JSDOM('').window as unknown as WindowLike);
    purifier.setConfig(PURIFY_CONFIG);
  }
  return purifier;
}

/** A link may leave for the web or mail, or jump inside the module; an image must be embedded. */
function urlProblem(tag: string, attr: string, value: string): string | null {
  const v = value.replace(/[\u0000-\u0020]+/g, '');
  if (attr === 'src') return embeddedImageUrl(v) ? null : `<${tag} src> must be an embedded data:image/png|jpeg|gif|webp|avif URL`;
  if (attr === 'href') {
    if (/^(https?:|mailto:|#)/i.test(v)) return null;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1];
    return scheme
      ? `a ${scheme.toLowerCase()}: URL in <${tag} href>`
      : `<${tag} href="${value.slice(0, 40)}">: links must be https:, http:, mailto: or #fragment`;
  }
  return null;
}

type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];

const isElement = (n: DefaultTreeAdapterMap['node']): n is Element => 'tagName' in n;

/** Every element under `n`, in document order (template contents are not walked: <template> is refused). */
function* elements(n: ParentNode): Generator<Element> {
  for (const c of n.childNodes) {
    if (!isElement(c)) continue;
    yield c;
    yield* elements(c);
  }
}

/** Line and column of an offset in the code (both 1-based). */
function position(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Checks a custom module's code and reports every violation (empty when it is acceptable). */
export function checkModuleCode(code: string): ModuleViolation[] {
  const out: ModuleViolation[] = [];
  // Keys of what the walk reported, to recognise DOMPurify's removals it already named.
  const named = new Map<string, number>();
  const note = (key: string) => named.set(key, (named.get(key) ?? 0) + 1);

  // jsdom's own HTML parser (parse5), with source positions; jsdom's DOM with locations is far slower.
  const doc = parse(code, { sourceCodeLocationInfo: true });
  const html = doc.childNodes.find(isElement) as Element;
  const head = html.childNodes.find((n) => isElement(n) && n.tagName === 'head') as Element;
  const body = html.childNodes.find((n) => isElement(n) && n.tagName === 'body') as Element;

  // html/head/body exist in every parse; attributes on them can only come from explicit tags.
  for (const root of [html, head, body]) {
    const tag = root.tagName;
    const at = new RegExp(`<\\s*${tag}\\b`, 'i').exec(code);
    for (const a of root.attrs) {
      out.push({
        rule: 'document_attribute',
        message: `attribute ${a.name} on <${tag}> (a module is a fragment: no <html>, <head> or <body> attributes)`,
        ...(at ? position(code, at.index) : { line: null, column: null }),
      });
      note(`attr:${tag}:${a.name.toLowerCase()}`);
    }
  }

  for (const el of [...elements(head), ...elements(body)]) {
    const tag = el.tagName.toLowerCase();
    const loc = el.sourceCodeLocation;
    const where = loc ? { line: loc.startLine, column: loc.startCol } : { line: null, column: null };
    const allowed = ALLOWED_TAGS.includes(tag);
    if (!allowed) {
      const [rule, what] = ELEMENT_REASONS[tag] ?? ['element', `a <${tag}> element (not on the allowlist of module elements)`];
      out.push({ rule, message: what, ...where });
      note(`el:${tag}`);
    }
    if (tag === 'style' && loc?.startTag && loc.endTag) {
      const start = loc.startTag.endOffset;
      out.push(
        ...checkCss({
          css: code.slice(start, loc.endTag.startOffset),
          context: 'stylesheet',
          origin: '<style>',
          line: loc.startTag.endLine,
          column: loc.startTag.endCol,
          offset: start,
        }),
      );
    }
    // A refused element goes with its attributes; its children are still checked.
    if (!allowed) continue;
    for (const a of el.attrs) {
      const name = a.name.toLowerCase();
      const aloc = loc?.attrs?.[a.name];
      const at = aloc ? { line: aloc.startLine, column: aloc.startCol } : where;
      const u = urlProblem(tag, name, a.value);
      let problem: [string, string] | null = null;
      if (name.startsWith('on')) problem = ['event_handler', `an inline event handler (${name}=) on <${tag}>`];
      else if (u) problem = [u.startsWith('a ') ? 'url_scheme' : 'url', u];
      else if (!purify().isValidAttribute(tag, name, a.value))
        problem = ['attribute', `attribute ${name}="${a.value.slice(0, 40)}" on <${tag}> is not allowed`];
      if (problem) {
        out.push({ rule: problem[0], message: problem[1], ...at });
        note(`attr:${tag}:${name}`);
      } else if (name === 'style' && a.value.trim()) {
        // The attribute's value is entity-decoded, so CSS positions inside it would drift: report the attribute's.
        const css = checkCss({
          css: a.value,
          context: 'declarationList',
          origin: `the style attribute of <${tag}>`,
          line: 1,
          column: 1,
          offset: 0,
        });
        out.push(...css.map((v) => ({ ...v, ...at })));
      }
    }
  }

  if (!isHtmlModule(code))
    out.push(...checkCss({ css: code, context: 'stylesheet', origin: 'the stylesheet', line: 1, column: 1, offset: 0 }));

  // DOMPurify has the last word: whatever it removes that the walk did not name is reported too.
  const p = purify();
  p.sanitize(code, PURIFY_CONFIG);
  for (const r of p.removed) {
    const key =
      'element' in r
        ? `el:${r.element.nodeName.toLowerCase()}`
        : `attr:${r.from.nodeName.toLowerCase()}:${r.attribute?.name.toLowerCase() ?? ''}`;
    const left = named.get(key) ?? 0;
    if (left > 0) {
      named.set(key, left - 1);
      continue;
    }
    // Comments and stray text are dropped silently; <remove> and <body> are FORCE_BODY's own scaffolding.
    if ('element' in r && (r.element.nodeType !== 1 || SCAFFOLDING.has(r.element.nodeName.toLowerCase()))) continue;
    out.push({
      rule: 'sanitizer',
      message:
        'element' in r
          ? `the sanitizer removed a <${r.element.nodeName.toLowerCase()}> element`
          : `the sanitizer removed attribute ${r.attribute?.name ?? '?'} from <${r.from.nodeName.toLowerCase()}>`,
      line: null,
      column: null,
    });
  }
  out.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  return out;
}

/** One message naming every violation, or null when the module is acceptable. */
export function describeModuleViolations(violations: ModuleViolation[]): string | null {
  if (!violations.length) return null;
  const n = violations.length;
  return `custom modules are CSS/HTML only, on an allowlist; ${n === 1 ? '1 problem' : `${n} problems`}: ${violations.map(formatViolation).join('; ')}`;
}

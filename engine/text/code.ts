/**
 * Structural normalisation of CSS/HTML modules and room templates, so a copy with renamed classes,
 * reordered rules or re-indented markup produces the same tokens. Tokens are hashed into a shingle
 * set for MinHash (see shingles.ts).
 */
import { fnv1a } from './shingles.ts';

function stripComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/<!--[\s\S]*?-->/g, ' ');
}

const ws = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Selector with class and id names replaced by placeholders: `.card > #x a` → `.c > #i a`. */
function selectorShape(sel: string): string {
  return ws(
    sel
      .toLowerCase()
      .replace(/\.[a-z_-][\w-]*/g, '.c')
      .replace(/#[a-z_-][\w-]*/g, '#i'),
  );
}

function cssTokens(css: string, out: string[]): void {
  // Flatten nesting (@media etc.): every innermost `selector { declarations }` is one rule.
  const re = /([^{}]*)\{([^{}]*)\}/g;
  for (const m of css.matchAll(re)) {
    const sel = selectorShape(m[1] ?? '');
    const decls = (m[2] ?? '')
      .split(';')
      .map((d) => ws(d.toLowerCase()).replace(/\s*:\s*/, ':'))
      .filter(Boolean)
      .sort();
    out.push(`rule:${sel}{${decls.join(';')}}`);
    out.push(`body:{${decls.join(';')}}`);
    for (const d of decls) out.push(`decl:${d}`);
  }
}

function htmlTokens(html: string, out: string[]): void {
  const tagRe = /<\s*(\/?)\s*([a-z][a-z0-9-]*)([^>]*)>/gi;
  const seq: string[] = [];
  for (const m of html.matchAll(tagRe)) {
    const attrs = [...(m[3] ?? '').matchAll(/([a-z-:]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?/gi)]
      .map((a) => {
        const name = (a[1] ?? '').toLowerCase();
        return name === 'class' || name === 'id' ? name : `${name}=${(a[2] ?? '').replace(/^["']|["']$/g, '')}`;
      })
      .sort();
    const t = `${m[1] ? '/' : ''}${(m[2] ?? '').toLowerCase()}${attrs.length ? `[${attrs.join(',')}]` : ''}`;
    seq.push(t);
    out.push(`tag:${t}`);
  }
  for (let i = 0; i + 3 <= seq.length; i++) out.push(`tags:${seq.slice(i, i + 3).join(' ')}`);
  const text = ws(
    html
      .replace(/<style[\s\S]*?<\/style>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .toLowerCase(),
  );
  const words = text.split(' ').filter(Boolean);
  for (let i = 0; i + 2 <= words.length; i++) out.push(`text:${words[i]} ${words[i + 1]}`);
}

/** Normalised tokens of a CSS/HTML module: CSS rules from <style> blocks and bare CSS, plus markup. */
export function moduleTokens(code: string): string[] {
  const src = stripComments(code);
  const out: string[] = [];
  const styles = [...src.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1] ?? '');
  const looksHtml = /<\s*[a-z]/i.test(src);
  if (looksHtml) {
    for (const s of styles) cssTokens(s, out);
    htmlTokens(src, out);
  } else {
    cssTokens(src, out);
  }
  return out;
}

/** Canonical key-path tokens of a JSON structure (room template layout/modules/customization). */
export function structureTokens(v: unknown, path = '', out: string[] = []): string[] {
  if (Array.isArray(v)) {
    // Order of modules does not make a template original: index positions are dropped.
    for (const x of v) structureTokens(x, `${path}[]`, out);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) structureTokens(x, `${path}.${k.toLowerCase()}`, out);
  } else if (v !== undefined) {
    out.push(`${path}=${typeof v === 'string' ? ws(v.toLowerCase()) : String(v)}`);
  }
  return out;
}

export function hashTokens(tokens: string[]): Set<number> {
  return new Set(tokens.map(fnv1a));
}

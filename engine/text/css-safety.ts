/**
 * The CSS half of the custom-module check: a stylesheet or a style attribute is parsed with
 * css-tree and every at-rule, property, function and URL is held against an allowlist. Nothing may
 * load from the network (@import, url() other than embedded raster images), run code (expression(),
 * behavior, -moz-binding, progid filters) or hide from the parser (syntax errors are refused, since
 * a browser may recover from them differently than this check does).
 */
import * as csstree from 'css-tree';
import type { ModuleViolation } from './module-violation.ts';
import { embeddedImageUrl } from '../../shared/module-allowlist.ts';

/** At-rules a module may use (vendor prefixes are stripped before the lookup). */
const ALLOWED_AT_RULES = new Set([
  'media',
  'supports',
  'keyframes',
  'font-face',
  'layer',
  'container',
  'page',
  'counter-style',
  'property',
]);

/** Properties the lexer knows but that run code or bind behaviour. */
const DENIED_PROPERTIES: Record<string, string> = {
  behavior: 'the behavior property (attaches script)',
  binding: 'the -moz-binding property (attaches script)',
};

/** Functions whose string arguments are URLs. */
const URL_FUNCTIONS = new Set(['url', 'src']);
const IMAGE_FUNCTIONS = new Set(['image-set', 'image', 'cross-fade']);

/** Only embedded raster images: a module loads nothing from the network (the rule lives with the allowlist). */
export { embeddedImageUrl };

function decode(name: string): string {
  return csstree.ident.decode(name).toLowerCase();
}

export interface CssSource {
  css: string;
  /** Position of the first character in the module's code (1-based line and column). */
  line: number;
  column: number;
  offset: number;
  /** 'stylesheet' for <style> and bare CSS, 'declarationList' for style="" attributes. */
  context: 'stylesheet' | 'declarationList';
  /** Where it came from, for the message: "<style>", "style attribute of <div>". */
  origin: string;
}

/** Every violation in one stylesheet or style attribute. */
export function checkCss(src: CssSource): ModuleViolation[] {
  const out: ModuleViolation[] = [];
  const at = (loc: csstree.CssLocation | undefined) => ({ line: loc?.start.line ?? src.line, column: loc?.start.column ?? src.column });
  const add = (rule: string, what: string, loc: csstree.CssLocation | undefined) =>
    out.push({ rule, message: `${what} in ${src.origin}`, ...at(loc) });
  const checkUrl = (url: string, loc: csstree.CssLocation | undefined) => {
    if (!embeddedImageUrl(url))
      add(
        'css_url',
        `url(${url.length > 60 ? `${url.slice(0, 60)}…` : url}): only embedded data:image/png|jpeg|gif|webp|avif URLs are allowed`,
        loc,
      );
  };

  const ast = csstree.parse(src.css, {
    context: src.context,
    positions: true,
    line: src.line,
    column: src.column,
    offset: src.offset,
    parseValue: true,
    onParseError: (e) => {
      const err = e as Error & { line?: number; column?: number };
      out.push({
        rule: 'css_syntax',
        message: `CSS syntax error (${err.message}) in ${src.origin}`,
        line: err.line ?? src.line,
        column: err.column ?? src.column,
      });
    },
  });

  csstree.walk(ast, (node) => {
    switch (node.type) {
      case 'Atrule': {
        const name = csstree.keyword(decode(node.name)).basename;
        if (name === 'import') add('css_import', '@import (loads another stylesheet)', node.loc);
        else if (!ALLOWED_AT_RULES.has(name)) add('css_at_rule', `@${decode(node.name)} is not an allowed at-rule`, node.loc);
        break;
      }
      case 'Declaration': {
        const prop = decode(node.property);
        if (prop.startsWith('--')) break;
        const { basename } = csstree.property(prop);
        const denied = DENIED_PROPERTIES[basename];
        if (denied) add('css_behavior', denied, node.loc);
        else if (!csstree.lexer.getProperty(basename)) add('css_property', `unknown CSS property ${prop}`, node.loc);
        break;
      }
      case 'Url':
        checkUrl(node.value, node.loc);
        break;
      case 'Function': {
        const name = csstree.keyword(decode(node.name)).basename;
        if (name === 'expression') add('css_expression', 'a CSS expression() (runs script)', node.loc);
        else if (URL_FUNCTIONS.has(name)) checkUrl(csstree.generate(node).replace(/^[^(]*\(\s*["']?|["']?\s*\)$/g, ''), node.loc);
        else if (IMAGE_FUNCTIONS.has(name))
          node.children.forEach((c) => {
            if (c.type === 'String') checkUrl(c.value, c.loc ?? node.loc);
          });
        break;
      }
      case 'Identifier':
        if (/^progid:/i.test(node.name)) add('css_behavior', 'a progid: filter (loads an ActiveX component)', node.loc);
        break;
      case 'Raw':
        if (/url\s*\(|expression\s*\(|@import|progid\s*:|image-set|\\/i.test(node.value))
          add('css_raw', `unparsed CSS that could load or run something (${node.value.trim().slice(0, 40)})`, node.loc);
        break;
      default:
        break;
    }
  });
  return out;
}

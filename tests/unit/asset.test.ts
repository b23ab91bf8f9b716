import { describe, expect, it } from 'vitest';
import { parseAssetCard } from '../../engine/cards.ts';

describe('asset card validation', () => {
  it('accepts the spec wrapper and fills defaults', () => {
    const r = parseAssetCard({ luna_asset_card: { asset_type: 'location', name: 'Old Mill' } });
    expect(r.ok && r.card).toMatchObject({ asset_type: 'location', name: 'Old Mill', description: '', tags: [] });
  });

  it('names the offending field', () => {
    const bad = [
      [{ asset_type: 'dragon', name: 'x' }, 'asset_type'],
      [{ asset_type: 'item', name: '' }, 'name'],
      [{ asset_type: 'item', name: 'x', tags: 'a,b' }, 'tags'],
      [{ asset_type: 'character', name: 'x', character: { level: 'five' } }, 'character.level'],
      [{ asset_type: 'custom_module', name: 'x' }, 'custom_module'],
    ] as const;
    for (const [raw, field] of bad) {
      const r = parseAssetCard(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.field).toBe(field);
        expect(r.message).toContain(field);
      }
    }
  });

  it('rejects scripts in custom modules with a clear message naming every problem', () => {
    const r = parseAssetCard({
      asset_type: 'custom_module',
      name: 'm',
      custom_module: { code: '<div>hi</div><script>alert(1)</script>\n<img src=x onerror=alert(1)>' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe('custom_module.code');
      expect(r.message).toMatch(/^custom_module\.code: custom modules are CSS\/HTML only.*3 problems/);
      expect(r.message).toContain('line 1, column 14: a <script> element');
      expect(r.message).toContain('line 2, column 12: an inline event handler (onerror=) on <img>');
      expect(r.message).toContain('line 2, column 6: <img src> must be an embedded data:image');
    }
    expect(parseAssetCard({ asset_type: 'custom_module', name: 'm', custom_module: { code: '.a { color: red }' } }).ok).toBe(true);
  });
});

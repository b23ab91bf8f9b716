/** Times the parts of local-feature extraction for a query (decode, ORB per view and octave, quantisation) on a few images. */
import { readFileSync } from 'node:fs';
import { loadCv } from '../../engine/image/local/cv.ts';
import { describeView } from '../../engine/image/local/extract.ts';
import { grayFrame } from '../../engine/image/local/frame.ts';
import { loadVocabulary } from '../../engine/image/local/vocab-file.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
const P = UNIQUENESS_POLICY.local;
const R = '/usr/share/openclipart/png/';
const files = [
  'animals/mammals/topo_architetto_francesc_01.png',
  'transportation/autos_01.png',
  'office/clipboard_01.png',
  'food/fruit/apple_wedge.png',
];
const { cv } = await loadCv();
const vocab = loadVocabulary();
const t: Record<string, number> = {};
const tick = async <T>(k: string, f: () => T | Promise<T>): Promise<T> => {
  const s = performance.now();
  const r = await f();
  t[k] = (t[k] ?? 0) + performance.now() - s;
  return r;
};
for (let rep = 0; rep < 3; rep++)
  for (const f of files) {
    const b = readFileSync(R + f);
    const g = await tick('decode480', () => grayFrame(b, P.workSize, P.trimTolerance));
    const g2 = await tick('decode960', () => grayFrame(b, P.workSize * 2, P.trimTolerance));
    await tick('orb480', () => describeView(cv, vocab, g.gray, g.width, g.height));
    for (const lv of [3, 4])
      for (const n of [400, 800])
        await tick(`orb960 L${lv} n${n}`, () =>
          describeView(cv, vocab, g2.gray, g2.width, g2.height, { features: n, scaleFactor: 1.2, levels: lv }),
        );
  }
for (const [k, v] of Object.entries(t)) console.log(k, (v / 12).toFixed(1), 'ms');
process.exit(0);

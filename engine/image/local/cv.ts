/**
 * OpenCV 4.13 compiled to WASM (`@opencvjs/node`, the Node build of ocavue/opencvjs), loaded once
 * per thread. It gives the same ORB keypoints and descriptors, byte for byte, as the
 * `@techstark/opencv-js` 4.5 build used before, about 1.3× faster (README, session 43).
 */
import { createRequire } from 'node:module';

/** The small part of the OpenCV.js surface this layer uses. */
export interface CvMat {
  rows: number;
  cols: number;
  data: Uint8Array;
  delete(): void;
}
export interface CvKeyPoint {
  pt: { x: number; y: number };
  size: number;
  angle: number;
  response: number;
  octave: number;
}
export interface CvKeyPointVector {
  size(): number;
  get(i: number): CvKeyPoint;
  delete(): void;
}
export interface CvOrb {
  setScaleFactor(f: number): void;
  setNLevels(n: number): void;
  detectAndCompute(img: CvMat, mask: CvMat, kps: CvKeyPointVector, desc: CvMat): void;
  delete(): void;
}
export interface Cv {
  Mat: new (...args: unknown[]) => CvMat;
  KeyPointVector: new () => CvKeyPointVector;
  ORB: new (nfeatures: number) => CvOrb;
  matFromArray(rows: number, cols: number, type: number, data: ArrayLike<number>): CvMat;
  CV_8UC1: number;
}

let ready: Promise<{ cv: Cv }> | undefined;

/**
 * Resolves once the WASM runtime of this thread is initialised; later calls reuse it. The module is
 * boxed (`const { cv } = await loadCv()`), so no caller ever awaits the module object itself.
 */
export function loadCv(): Promise<{ cv: Cv }> {
  ready ??= (async () => {
    const { loadOpenCV } = createRequire(import.meta.url)('@opencvjs/node') as { loadOpenCV(): Promise<Cv> };
    return { cv: await loadOpenCV() };
  })();
  return ready;
}

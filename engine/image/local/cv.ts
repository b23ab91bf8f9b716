/**
 * OpenCV (compiled to WASM, @techstark/opencv-js) loaded once per thread. The module object is a
 * thenable whose `then` never settles the way `await` expects, so readiness is awaited through
 * onRuntimeInitialized instead of awaiting the module itself.
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
 * boxed (`const { cv } = await loadCv()`) because a promise resolved with the thenable module
 * itself keeps re-adopting it forever.
 */
export function loadCv(): Promise<{ cv: Cv }> {
  ready ??= new Promise<{ cv: Cv }>((resolve, reject) => {
    try {
      const mod = createRequire(import.meta.url)('@techstark/opencv-js') as Cv & { onRuntimeInitialized?: () => void };
      const done = (): void => resolve({ cv: mod });
      if (typeof (mod as { Mat?: unknown }).Mat === 'function') done();
      else mod.onRuntimeInitialized = done;
    } catch (err) {
      reject(err as Error);
    }
  });
  return ready;
}

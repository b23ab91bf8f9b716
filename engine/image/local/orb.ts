/** ORB keypoints and descriptors of a grayscale frame, through OpenCV.js (synchronous once loaded). */
import type { Cv } from './cv.ts';

export interface OrbParams {
  features: number;
  scaleFactor: number;
  levels: number;
}

export interface OrbOutput {
  keypoints: Float32Array;
  descriptors: Uint8Array;
}

/** Detects and describes up to `features` ORB keypoints (Harris-ranked, 31-px patches). */
export function describeOrb(cv: Cv, gray: Uint8Array, width: number, height: number, p: OrbParams): OrbOutput {
  const img = new cv.Mat(height, width, cv.CV_8UC1);
  const mask = new cv.Mat();
  const kps = new cv.KeyPointVector();
  const desc = new cv.Mat();
  // This build cannot pass the ScoreType enum to the full constructor: defaults (Harris score,
  // 31-px patch, FAST threshold 20) plus setters.
  const orb = new cv.ORB(p.features);
  orb.setScaleFactor(p.scaleFactor);
  orb.setNLevels(p.levels);
  try {
    img.data.set(gray);
    orb.detectAndCompute(img, mask, kps, desc);
    const n = desc.rows;
    const keypoints = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const k = kps.get(i);
      keypoints[i * 4] = k.pt.x;
      keypoints[i * 4 + 1] = k.pt.y;
      keypoints[i * 4 + 2] = k.size;
      keypoints[i * 4 + 3] = k.angle;
    }
    const descriptors = n > 0 ? new Uint8Array(desc.data.slice(0, n * 32)) : new Uint8Array(0);
    return { keypoints, descriptors };
  } finally {
    img.delete();
    mask.delete();
    kps.delete();
    desc.delete();
    orb.delete();
  }
}

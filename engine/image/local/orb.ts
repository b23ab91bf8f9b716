/** ORB keypoints and descriptors of a grayscale frame, through OpenCV.js (synchronous once loaded). */
import type { Cv, CvKeyPoint } from './cv.ts';
import type { PreparedFrame } from './prepare.ts';

export interface OrbParams {
  features: number;
  scaleFactor: number;
  levels: number;
}

export interface OrbOutput {
  keypoints: Float32Array;
  descriptors: Uint8Array;
}

/**
 * Detects and describes up to `features` ORB keypoints (Harris-ranked, 31-px patches) on a prepared
 * frame (prepare.ts); keypoints are given in the coordinates of the frame before its margin.
 */
export function describeOrb(cv: Cv, frame: PreparedFrame, p: OrbParams): OrbOutput {
  const { gray, width, height, offset } = frame;
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
    // Keypoints centred in the margin (outside the frame) are dropped: the layer's geometry lives
    // in the frame, and stored coordinates are unsigned.
    const fw = width - 2 * offset;
    const fh = height - 2 * offset;
    const keep: { i: number; k: CvKeyPoint }[] = [];
    for (let i = 0; i < desc.rows; i++) {
      const k = kps.get(i);
      const x = k.pt.x - offset;
      const y = k.pt.y - offset;
      if (x >= 0 && y >= 0 && x < fw && y < fh) keep.push({ i, k });
    }
    const n = keep.length;
    const keypoints = new Float32Array(n * 4);
    const descriptors = new Uint8Array(n * 32);
    keep.forEach(({ i, k }, j) => {
      keypoints[j * 4] = k.pt.x - offset;
      keypoints[j * 4 + 1] = k.pt.y - offset;
      keypoints[j * 4 + 2] = k.size;
      keypoints[j * 4 + 3] = k.angle;
      descriptors.set(desc.data.subarray(i * 32, i * 32 + 32), j * 32);
    });
    return { keypoints, descriptors };
  } finally {
    img.delete();
    mask.delete();
    kps.delete();
    desc.delete();
    orb.delete();
  }
}

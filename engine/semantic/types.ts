/** What the engine needs from the semantic layer; the ONNX implementation lives in embedder.ts. */
export const VECTOR_SPACES = ['clip_image', 'clip_text', 'bge_text'] as const;
export type VectorSpace = (typeof VECTOR_SPACES)[number];

export interface SpaceState {
  available: boolean;
  /** Why not, when unavailable (e.g. "weights not installed: run `originals models fetch`"). */
  reason?: string;
  /** sha256 of the weights that produce this space's vectors. */
  modelSha256?: string;
}

export interface Embedder {
  state(space: VectorSpace): SpaceState;
  /** CLIP image embeddings (L2-normalised, 512-d). */
  embedImages(images: Uint8Array[]): Promise<Float32Array[]>;
  /** CLIP text embeddings (L2-normalised, 512-d). */
  embedClipTexts(texts: string[]): Promise<Float32Array[]>;
  /** BGE-small metadata embeddings (CLS pooled, L2-normalised, 384-d). */
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** The embedder when it has weights for at least one layer, else undefined (the engine then runs without semantic layers). */
export function usableEmbedder<E extends Embedder>(e: E): E | undefined {
  return VECTOR_SPACES.some((s) => e.state(s).available) ? e : undefined;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

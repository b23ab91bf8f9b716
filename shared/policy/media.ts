/**
 * Media policy: the limits a video or audio file must meet before anything is decoded, and every
 * threshold of the audio (landmark + Chromaprint) and video (pHash + temporal alignment) layers, in
 * one versioned object shared by the studio, the CLI and the server. Bump `version` when a
 * threshold or a fingerprint parameter changes (stored fingerprints then need recomputing when the
 * `fingerprintVersion` changes).
 */
export const MEDIA_POLICY = {
  version: 6,
  /** Changes whenever the bytes of a serialised fingerprint would change for the same input. */
  fingerprintVersion: 3,
  limits: {
    /**
     * Largest accepted file (bytes): 2 GiB, a 30-minute 4K clip at a delivery bitrate. Files travel as
     * files (streamed upload, disk-backed multipart, decoded by FFmpeg from disk), so nothing holds a
     * whole file in memory; same figure as the studio's MEDIA_LIMITS for audio and video.
     */
    maxBytes: 2 * 1024 * 1024 * 1024,
    /** Longest accepted audio, seconds (a 1-hour mix is the longest plausible marketplace asset). */
    maxAudioSeconds: 60 * 60,
    /** Longest accepted video, seconds. */
    maxVideoSeconds: 30 * 60,
    /** Shortest media worth fingerprinting, seconds (below this an excerpt cannot be matched reliably). */
    minSeconds: 1,
    /** Largest frame side and frame area: 4K UHD (DCI 4096 wide) is accepted, 8K is not. */
    maxWidth: 4096,
    maxHeight: 4096,
    maxPixels: 4096 * 2160,
    /** Highest accepted frame rate (frames per second). */
    maxFps: 120,
    /** Containers accepted, as FFmpeg demuxer names (first name of the "Input #0, …" list). */
    containers: ['mov', 'matroska', 'mp3', 'ogg', 'wav', 'flac', 'aac', 'avi'],
    /**
     * Stream types besides audio and video that a file may carry and that are ignored, as FFmpeg
     * names them (lower case: `data`, `subtitle`, `attachment`). Phones and cameras write a timecode
     * track (`tmcd`) or timed metadata (GPS, gyro) into .mov/.mp4 files as data streams, so `data`
     * is ignored; nothing of it is decoded (the decoders map only the first audio and video stream).
     * Subtitles and attachments (fonts, cover files) are not: they are content the media layers do
     * not check, so a file carrying one is refused (`unsupported_streams`).
     */
    ignoredStreams: ['data'],
    /** Concurrent FFmpeg processes (probe and decode), so a batch cannot exhaust the machine. */
    maxProcesses: 2,
    /** A probe that takes longer than this is killed (a header should be read in milliseconds). */
    probeTimeoutMs: 15_000,
  },
  audio: {
    /** All audio is decoded to mono at this rate: Chromaprint's native rate, 0–5.5 kHz band. */
    sampleRate: 11025,
    /** Landmark STFT: window and hop in samples (93 ms window, 23 ms hop). */
    fftSize: 1024,
    hop: 256,
    /** Peaks kept per second of audio (the densest cells of a time–frequency grid). */
    peaksPerSecond: 30,
    /** Lowest and highest frequency bins used for peaks (≈ 100 Hz .. 4.3 kHz). */
    minBin: 10,
    maxBin: 400,
    /** Pairs per anchor peak, and the target zone: frames ahead and bins up/down. */
    fanOut: 5,
    targetMinDt: 1,
    targetMaxDt: 63,
    targetMaxDf: 63,
    /**
     * Factors tried in turn when the query as-is matches nothing (engine/media/audio-index.ts
     * landmarkScales), 1 % apart — a landmark hash survives about half a percent of error, so a grid
     * any coarser misses copies between its steps. Speed ratios (query / original) undo a resampled
     * copy, its time and pitch changed together (±10 %); tempo ratios a time-stretched one, its pitch
     * kept (±8 %); pitch ratios a pitch-shifted one, its tempo kept (±12 %: two semitones). Each is one
     * more landmark vote for a query that matches nothing as-is (about 2 ms for a minute of speech
     * against a few tracks; README, session 57).
     */
    speedRatios: [1, 0.99, 1.01, 0.98, 1.02, 0.97, 1.03, 0.96, 1.04, 0.95, 1.05, 0.94, 1.06, 0.93, 1.07, 0.92, 1.08, 0.91, 1.09, 0.9, 1.1],
    tempoRatios: [0.99, 1.01, 0.98, 1.02, 0.97, 1.03, 0.96, 1.04, 0.95, 1.05, 0.94, 1.06, 0.93, 1.07, 0.92, 1.08],
    pitchRatios: [
      0.99, 1.01, 0.98, 1.02, 0.97, 1.03, 0.96, 1.04, 0.95, 1.05, 0.94, 1.06, 0.93, 1.07, 0.92, 1.08, 0.91, 1.09, 0.9, 1.1, 0.89, 1.11,
      0.88, 1.12,
    ],
    /**
     * A landmark match needs at least this many hashes agreeing on one time offset, and at least
     * `minVoteShare` of the query's hashes. Random agreement is a Poisson count with a mean far below
     * 1 per offset bin for a 22-bit hash space, so 12 votes is a > 10-sigma event.
     */
    minVotes: 12,
    minVoteShare: 0.01,
    /**
     * Stop hashes (a document-frequency cap, as the text and image indexes have): a landmark hash
     * listed more than max(`minHashCap`, `maxHashShare` × indexed tracks) times in the index does
     * not vote. Such hashes (formant pairs of speech, steady tones) say little about which track a
     * query is, yet make most of the postings a query visits; a copy still has hundreds of
     * rarer hashes agreeing on its offset. The floor keeps small libraries' lists whole.
     */
    maxHashShare: 0.01,
    minHashCap: 100,
    /** Matched query seconds separated by more than this start a new range. */
    rangeGapSeconds: 2,
    /**
     * Shortest matched stretch (summed over ranges) reported as a copy. Excerpts of 10 s and more
     * must be caught; a shared word or a one-second sample is not what this layer is for.
     */
    minMatchSeconds: 3,
    /** Chromaprint: bit error rate at or below which two aligned fingerprints are the same audio. */
    chromaprintMaxBer: 0.3,
    /** Chromaprint: fewest aligned frames (≈ 0.124 s each) compared before a verdict. */
    chromaprintMinFrames: 40,
    /**
     * Chromaprint serves whole-track copies (re-encodes, volume, resampling); excerpts are the
     * landmarks' job. Its 2-s windows can agree by chance on stretches of one speaker's voice, so
     * a Chromaprint match must cover at least this share of the query.
     */
    chromaprintMinShare: 0.8,
    /** …and the query must be at least this long (Chromaprint identifies tracks, AcoustID uses 120 s). */
    chromaprintMinQuerySeconds: 30,
  },
  video: {
    /** Frames are decoded at this rate, as `frameSide`² grayscale matrices. */
    decodeFps: 10,
    frameSide: 96,
    /** Of the decoded frames, one every `1 / sampleFps` s is kept, plus every scene change. */
    sampleFps: 2,
    /** Mean absolute luminance difference (0..255) between consecutive frames marking a scene change. */
    sceneDelta: 30,
    /** A row/column whose max over time stays below this (0..255) is a black border and is trimmed. */
    borderLevel: 24,
    /** pHash Hamming radius for a frame to count as a candidate match. */
    frameRadius: 10,
    /**
     * Candidates are verified with 256-bit hashes (16×16 DCT signs): at most this many differing
     * bits (of 256; unrelated frames differ in ≈ 128, frames sharing only a layout in ≈ 90–120).
     */
    fineRadius: 86,
    /** Per query frame and video, only stored frames within this many bits of the closest one vote. */
    nearBest: 2,
    /** Speed ratios (query time per original time) tested by the temporal Hough vote. */
    speedRatios: [0.9, 0.92, 0.94, 0.96, 0.98, 1, 1.02, 1.04, 1.06, 1.08, 1.1],
    /** Width of an offset bin of the Hough vote, seconds (neighbouring bins count too). */
    offsetBinSeconds: 0.5,
    /**
     * A query with more sampled frames searches the index with this many of them, evenly spaced, and
     * compares every frame with the videos they find (engine/media/video-index.ts). A copied run
     * holds at least `minFrameShare` of the query's frames, so ≥ 6 seeds fall on it.
     */
    seedFrames: 32,
    /** A video match needs this many distinct query frames agreeing on one offset and speed. */
    minFrames: 6,
    /** …and this share of the query's sampled frames. */
    minFrameShare: 0.2,
    rangeGapSeconds: 3,
    /**
     * Keyframes for the image layer's local features (engine/media/keyframes.ts): the same decode
     * also yields frames at the local layer's working size (longest side local.workSize), one every
     * max(everySeconds, duration / maxKeyframes) seconds; one is kept when it is not flat and its
     * 16×16 thumbnail differs from the last kept one's by more than `changeDelta` grey levels on
     * average, or `holdSeconds` after the last kept one. Each is described by ORB with `features`
     * keypoints (a mirrored view too, which only queries use; the library stores the plain view).
     */
    keyframes: {
      everySeconds: 1,
      maxKeyframes: 20,
      changeDelta: 10,
      holdSeconds: 4,
      features: 300,
      /** Inverted-file candidates per query keyframe view, and local verifications per query at most. */
      candidates: 6,
      maxVerifications: 24,
      /**
       * A video found by keyframes alone needs this many distinct query keyframes verified against it
       * (fewer only when the query has fewer keyframes): one chance agreement per query is not a copy.
       */
      minVerified: 2,
    },
  },
  /** Matches returned per query. */
  topK: 5,
} as const;

type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends readonly (infer U)[]
      ? readonly Widen<U>[]
      : T extends object
        ? { readonly [K in keyof T]: Widen<T[K]> }
        : T;
/** The policy's shape with plain number fields, so variants can be built for tests and evaluation. */
export type MediaPolicy = Widen<typeof MEDIA_POLICY>;

/**
 * Seeded transform generators for the media evaluation: each family draws its parameters from a
 * range and returns FFmpeg arguments (input options, filters, output options) plus a description.
 */
import { pick, uniform } from './stats.ts';

export interface SourceInfo {
  duration: number;
  sampleRate: number;
  /** RMS of the source's mono PCM (for noise at a given SNR). */
  rms: number;
  width?: number;
  height?: number;
}

export interface Transform {
  desc: string;
  input: string[];
  af: string[];
  vf: string[];
  output: string[];
  ext: string;
}

export const AUDIO_FAMILIES = [
  'reencode',
  'excerpt',
  'volume',
  'fade',
  'noise',
  'channels_rate',
  'speed',
  'combo',
  // Since session 57: the tempo or the pitch changed alone.
  'tempo',
  'pitch',
] as const;
export const VIDEO_FAMILIES = [
  'reencode',
  'resize_letterbox',
  'crop',
  'mirror',
  'overlay',
  'fps',
  'speed',
  'excerpt',
  'combo',
  // Beyond the issue's list (the frame hashes' windows cannot see these; the keyframes' local features can):
  'crop_large',
  'pip',
  'rotate',
] as const;

const CODECS: { desc: string; args: string[]; ext: string }[] = [
  { desc: 'mp3 64k', args: ['-c:a', 'libmp3lame', '-b:a', '64k'], ext: 'mp3' },
  { desc: 'mp3 96k', args: ['-c:a', 'libmp3lame', '-b:a', '96k'], ext: 'mp3' },
  { desc: 'opus 16k', args: ['-c:a', 'libopus', '-b:a', '16k'], ext: 'ogg' },
  { desc: 'opus 32k', args: ['-c:a', 'libopus', '-b:a', '32k'], ext: 'ogg' },
  { desc: 'vorbis q0', args: ['-c:a', 'libvorbis', '-q:a', '0'], ext: 'ogg' },
  { desc: 'aac 64k', args: ['-c:a', 'aac', '-b:a', '64k'], ext: 'mp4' },
];

function excerpt(r: () => number, s: SourceInfo, min: number, max: number): { start: number; len: number; input: string[] } {
  const len = Math.min(s.duration - 0.5, uniform(r, min, max));
  const start = uniform(r, 0, Math.max(0, s.duration - len));
  return { start, len, input: ['-ss', start.toFixed(2), '-t', len.toFixed(2)] };
}

function empty(ext: string): Transform {
  return { desc: '', input: [], af: [], vf: [], output: [], ext };
}

type AudioPart = (r: () => number, s: SourceInfo, t: Transform, len: number) => void;

const AUDIO_PARTS: Record<string, AudioPart> = {
  codec: (r, _s, t) => {
    const c = pick(r, CODECS);
    t.output.push(...c.args);
    t.ext = c.ext;
    t.desc += ` ${c.desc}`;
  },
  volume: (r, _s, t) => {
    const db = uniform(r, -10, 10);
    t.af.push(`volume=${db.toFixed(1)}dB`);
    t.desc += ` volume ${db.toFixed(1)} dB`;
  },
  fade: (r, _s, t, len) => {
    const a = uniform(r, 1, 4);
    const b = uniform(r, 1, 4);
    t.af.push(`afade=t=in:d=${a.toFixed(2)}`, `afade=t=out:st=${(len - b).toFixed(2)}:d=${b.toFixed(2)}`);
    t.desc += ` fades ${a.toFixed(1)}/${b.toFixed(1)} s`;
  },
  noise: (r, s, t) => {
    // White noise (uniform, amplitude a has RMS a/√3) at 10 dB below the signal's RMS.
    const snr = 10;
    const amp = Math.min(1, ((s.rms / Math.sqrt(10 ** (snr / 10))) * Math.sqrt(3)) / 1);
    const seed = Math.floor(r() * 1e6);
    // Mixed at the source's own rate, so later filters that assume it (the speed change) stay right.
    t.af.push(`__NOISE__${amp.toFixed(5)}:${seed}:${s.sampleRate}`);
    t.desc += ` white noise SNR ${snr} dB`;
  },
  rate: (r, _s, t) => {
    // Opus only encodes at 8, 12, 16, 24 or 48 kHz.
    const ar = pick(r, t.output.includes('libopus') ? [8000, 16000, 24000, 48000] : [8000, 16000, 22050, 32000, 44100, 48000]);
    const ac = pick(r, [1, 2]);
    t.output.push('-ar', String(ar), '-ac', String(ac));
    t.desc += ` ${ar} Hz ${ac === 1 ? 'mono' : 'stereo'}`;
  },
  speed: (r, s, t) => {
    const f = uniform(r, 0.95, 1.05);
    t.af.push(`asetrate=${Math.round(s.sampleRate * f)}`, `aresample=${s.sampleRate}`);
    t.desc += ` speed ×${f.toFixed(3)}`;
  },
  tempo: (r, _s, t) => {
    // Time-stretched, pitch kept (FFmpeg's atempo): ±2–8 %.
    const f = (r() < 0.5 ? -1 : 1) * uniform(r, 0.02, 0.08) + 1;
    t.af.push(`atempo=${f.toFixed(4)}`);
    t.desc += ` tempo ×${f.toFixed(3)}, pitch kept`;
  },
  pitch: (r, s, t) => {
    // Pitch-shifted by 0.5–2 semitones either way, tempo kept: resampled, then time-stretched back.
    const semis = (r() < 0.5 ? -1 : 1) * uniform(r, 0.5, 2);
    const f = 2 ** (semis / 12);
    t.af.push(`asetrate=${Math.round(s.sampleRate * f)}`, `aresample=${s.sampleRate}`, `atempo=${(1 / f).toFixed(5)}`);
    t.desc += ` pitch ${semis > 0 ? '+' : ''}${semis.toFixed(2)} semitones, tempo kept`;
  },
};

export function audioTransform(family: string, r: () => number, s: SourceInfo): Transform {
  const t = empty('wav');
  if (family === 'reencode') {
    AUDIO_PARTS.codec!(r, s, t, s.duration);
    t.desc = `whole track,${t.desc}`;
    return t;
  }
  const ex = excerpt(r, s, 10, 20);
  t.input.push(...ex.input);
  t.desc = `excerpt ${ex.start.toFixed(1)}+${ex.len.toFixed(1)} s,`;
  const parts: Record<string, string[]> = {
    excerpt: [],
    volume: ['volume'],
    fade: ['fade'],
    noise: ['noise'],
    channels_rate: ['rate'],
    speed: ['speed'],
    tempo: ['tempo'],
    pitch: ['pitch'],
  };
  // Combinations: a codec plus 1–2 other changes (2–3 in all), on an excerpt.
  const names =
    family === 'combo' ? ['codec', ...pickSome(r, ['volume', 'fade', 'noise', 'rate', 'speed'], r() < 0.5 ? 1 : 2)] : (parts[family] ?? []);
  for (const n of names) AUDIO_PARTS[n]!(r, s, t, ex.len);
  return t;
}

function pickSome(r: () => number, xs: string[], k: number): string[] {
  const a = [...xs];
  const out: string[] = [];
  while (out.length < k && a.length) out.push(a.splice(Math.floor(r() * a.length), 1)[0] as string);
  return out;
}

type VideoPart = (r: () => number, s: SourceInfo, t: Transform) => void;

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/** Video codecs and rates for re-encoding (the default output is H.264 CRF 26). */
const VIDEO_CODECS: { desc: string; args: (r: () => number) => string[]; ext: string }[] = [
  {
    desc: 'h264 crf',
    args: (r) => ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', String(Math.round(uniform(r, 28, 40))), '-c:a', 'aac', '-b:a', '48k'],
    ext: 'mp4',
  },
  {
    desc: 'h264 bitrate',
    args: (r) => ['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', `${Math.round(uniform(r, 100, 500))}k`, '-c:a', 'aac', '-b:a', '48k'],
    ext: 'mp4',
  },
  {
    desc: 'vp9',
    args: (r) => [
      ...['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${Math.round(uniform(r, 100, 400))}k`],
      ...['-c:a', 'libopus', '-b:a', '32k'],
    ],
    ext: 'webm',
  },
];

const VIDEO_PARTS: Record<string, VideoPart> = {
  reencode: (r, _s, t) => {
    const c = pick(r, VIDEO_CODECS);
    const args = c.args(r);
    t.output = args;
    t.ext = c.ext;
    t.desc += ` ${c.desc} ${args.filter((a) => /^\d+k?$/.test(a)).join(' ')}`;
  },
  resize_letterbox: (r, _s, t) => {
    const w = 2 * Math.round(uniform(r, 160, 640) / 2);
    const h = 2 * Math.round((w * 9) / 16 / 2);
    const box = pick(r, ['none', '4:3', '1:1']);
    t.vf.push(`scale=${w}:${h}`);
    if (box !== 'none') {
      const H = box === '4:3' ? 2 * Math.round((w * 3) / 4 / 2) : w;
      t.vf.push(`pad=${w}:${H}:0:${2 * Math.round((H - h) / 4)}:black`);
    }
    t.desc += ` resize ${w}x${h}${box !== 'none' ? ` letterboxed ${box}` : ''}`;
  },
  crop: (r, _s, t) => {
    const c = uniform(r, 0.05, 0.3);
    const kx = uniform(r, 0, 1);
    const ky = uniform(r, 0, 1);
    t.vf.push(`crop=iw*${(1 - c).toFixed(3)}:ih*${(1 - c).toFixed(3)}:iw*${(c * kx).toFixed(3)}:ih*${(c * ky).toFixed(3)}`);
    t.desc += ` crop ${(c * 100).toFixed(0)} %`;
  },
  mirror: (_r, _s, t) => {
    t.vf.push('hflip');
    t.desc += ' mirrored';
  },
  overlay: (r, _s, t) => {
    const x = pick(r, ['10', 'w-tw-10']);
    const y = pick(r, ['10', 'h-th-10']);
    t.vf.push(
      `drawbox=x=${x === '10' ? 'iw-70' : '10'}:y=${y === '10' ? 'ih-50' : '10'}:w=60:h=40:color=red@0.8:t=fill`,
      `drawtext=fontfile=${FONT}:text='COPY ${Math.floor(r() * 1000)}':x=${x}:y=${y}:fontsize=h/12:fontcolor=white:box=1:boxcolor=black@0.5`,
    );
    t.desc += ' logo + text overlay';
  },
  fps: (r, _s, t) => {
    const f = pick(r, [12, 15, 24, 30, 50]);
    t.vf.push(`fps=${f}`);
    t.desc += ` ${f} fps`;
  },
  crop_large: (r, _s, t) => {
    // 40–70 % of the area, anywhere in the frame.
    const a = uniform(r, 0.4, 0.7);
    const aspect = uniform(r, 0.8, 1.25);
    const w = Math.min(1, Math.sqrt(a * aspect));
    const h = Math.min(1, a / w);
    const x = uniform(r, 0, 1 - w);
    const y = uniform(r, 0, 1 - h);
    t.vf.push(`crop=iw*${w.toFixed(3)}:ih*${h.toFixed(3)}:iw*${x.toFixed(3)}:ih*${y.toFixed(3)}`, 'scale=trunc(iw/2)*2:trunc(ih/2)*2');
    t.desc += ` crop to ${(a * 100).toFixed(0)} % of the area at (${x.toFixed(2)}, ${y.toFixed(2)})`;
  },
  pip: (r, _s, t) => {
    // Picture-in-picture: scaled to 40–70 % of the width, placed anywhere on a moving noise background.
    const k = uniform(r, 0.4, 0.7);
    const x = uniform(r, 0, 1 - k);
    const y = uniform(r, 0, 1 - k);
    const c = Math.floor(r() * 0xffffff)
      .toString(16)
      .padStart(6, '0');
    // One element holding a small graph (its chains are joined with ';', not the ',' between elements).
    t.vf.push(
      [
        `split[fg][bg]`,
        `[bg]drawbox=x=0:y=0:w=iw:h=ih:color=0x${c}:t=fill,noise=alls=40:allf=t[b]`,
        `[fg]scale=trunc(iw*${k.toFixed(3)}/2)*2:-2[s]`,
        `[b][s]overlay=x=W*${x.toFixed(3)}:y=H*${y.toFixed(3)}`,
      ].join(';'),
    );
    t.desc += ` picture-in-picture at ${(k * 100).toFixed(0)} % width (${x.toFixed(2)}, ${y.toFixed(2)})`;
  },
  rotate: (r, _s, t) => {
    const deg = uniform(r, 3, 20) * (r() < 0.5 ? -1 : 1);
    t.vf.push(`rotate=${((deg * Math.PI) / 180).toFixed(4)}:fillcolor=black`);
    t.desc += ` rotated ${deg.toFixed(1)}°`;
  },
  speed: (r, s, t) => {
    const f = uniform(r, 0.9, 1.1);
    t.vf.push(`setpts=PTS/${f.toFixed(3)}`);
    t.af.push(`asetrate=${Math.round(s.sampleRate * f)}`, `aresample=${s.sampleRate}`);
    t.desc += ` speed ×${f.toFixed(3)}`;
  },
};

export function videoTransform(family: string, r: () => number, s: SourceInfo): Transform {
  const t = empty('mp4');
  t.output.push('-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '26', '-c:a', 'aac', '-b:a', '64k');
  if (family === 'excerpt' || family === 'combo') {
    const ex = excerpt(r, s, 5, 15);
    t.input.push(...ex.input);
    t.desc = `excerpt ${ex.start.toFixed(1)}+${ex.len.toFixed(1)} s,`;
  } else t.desc = 'whole,';
  const names =
    family === 'combo'
      ? pickSome(r, ['reencode', 'resize_letterbox', 'crop', 'mirror', 'overlay', 'fps', 'speed'], r() < 0.5 ? 2 : 3)
      : family === 'excerpt'
        ? []
        : [family];
  for (const n of names) VIDEO_PARTS[n]!(r, s, t);
  return t;
}

/** FFmpeg arguments that apply `t` to `input`, writing `output`. */
export function ffmpegArgs(input: string, output: string, t: Transform): string[] {
  const noise = t.af.find((f) => f.startsWith('__NOISE__'));
  const af = t.af.filter((f) => !f.startsWith('__NOISE__'));
  const args = [...t.input, '-i', input];
  if (noise) {
    const [amp, seed, rate] = noise.slice('__NOISE__'.length).split(':');
    args.push('-f', 'lavfi', '-i', `anoisesrc=c=white:a=${amp}:seed=${seed}:r=${rate}`);
    const chain = af.length ? `,${af.join(',')}` : '';
    args.push(
      '-filter_complex',
      `[0:a]aresample=${rate},aformat=channel_layouts=mono[s];[1:a]aformat=channel_layouts=mono[n];[s][n]amix=inputs=2:duration=first${chain}[a]`,
      '-map',
      '[a]',
    );
  } else {
    if (af.length) args.push('-af', af.join(','));
    if (t.vf.length) args.push('-vf', t.vf.join(','));
  }
  return [...args, ...t.output, output];
}

// `npx tsx scripts/teams-icons.ts`: draws the Teams app icons (a speech bubble with three dots) into
// adapters/botframework/teams/: color.png 192x192 full colour, outline.png 32x32 white on transparent.
// Run once; the PNG files are committed. Only needed again to change the drawing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { crc32 } from './zip';

/** An 8-bit RGBA image, rows top to bottom, 4 bytes a pixel. */
export interface Rgba {
  width: number;
  height: number;
  pixels: Buffer;
}

/** The background of the colour icon; the manifest's `accentColor` is the same. */
export const ACCENT = '#0F766E';

const SAMPLES = 4; // per axis, for anti-aliased edges

/** Whether design point (u, v) of the unit square is ink: the bubble and its tail, less the dots. */
function ink(u: number, v: number): boolean {
  const [x0, x1, y0, y1, r] = [0.2, 0.8, 0.24, 0.66, 0.1];
  const cx = Math.min(Math.max(u, x0 + r), x1 - r);
  const cy = Math.min(Math.max(v, y0 + r), y1 - r);
  const inBubble = (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
  // The tail, a triangle below the bubble's left half: (0.30, 0.60), (0.26, 0.80), (0.46, 0.64).
  const side = (ax: number, ay: number, bx: number, by: number) =>
    (bx - ax) * (v - ay) - (by - ay) * (u - ax);
  const a = side(0.3, 0.6, 0.26, 0.8);
  const b = side(0.26, 0.8, 0.46, 0.64);
  const c = side(0.46, 0.64, 0.3, 0.6);
  const inTail = (a >= 0 && b >= 0 && c >= 0) || (a <= 0 && b <= 0 && c <= 0);
  const inDot = [0.38, 0.5, 0.62].some((dx) => (u - dx) ** 2 + (v - 0.45) ** 2 <= 0.045 ** 2);
  return (inBubble || inTail) && !inDot;
}

/** Fraction (0..1) of pixel (x, y) of a `size` square covered by ink, the design scaled by `scale`. */
function coverage(x: number, y: number, size: number, scale: number): number {
  let hits = 0;
  for (let i = 0; i < SAMPLES; i++) {
    for (let j = 0; j < SAMPLES; j++) {
      const u = 0.5 + ((x + (i + 0.5) / SAMPLES) / size - 0.5) / scale;
      const v = 0.52 + ((y + (j + 0.5) / SAMPLES) / size - 0.5) / scale;
      if (ink(u, v)) hits++;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

function draw(size: number, scale: number, paint: (cover: number) => number[]): Rgba {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++)
      pixels.set(paint(coverage(x, y, size, scale)), (y * size + x) * 4);
  }
  return { width: size, height: size, pixels };
}

/** The 192x192 colour icon: a white bubble on the accent colour, opaque everywhere. */
export function colorIcon(): Rgba {
  const bg = [1, 3, 5].map((i) => Number.parseInt(ACCENT.slice(i, i + 2), 16));
  return draw(192, 1, (cover) => [...bg.map((c) => Math.round(c + (255 - c) * cover)), 255]);
}

/** The 32x32 outline icon: the bubble in white (alpha for the edges), transparent elsewhere. */
export function outlineIcon(): Rgba {
  return draw(32, 1.3, (cover) => [255, 255, 255, Math.round(cover * 255)]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes an RGBA image as PNG: 8-bit RGBA, not interlaced, every row with filter 0 (None). */
export function encodePng(image: Rgba): Buffer {
  const { width, height, pixels } = image;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filters, no interlace
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    pixels.copy(raw, y * (1 + width * 4) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  const dir = join(__dirname, '..', 'adapters', 'botframework', 'teams');
  writeFileSync(join(dir, 'color.png'), encodePng(colorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(outlineIcon()));
  console.log(`wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}

// `tsx scripts/teams-package.ts [--app-id <guid>] [--out <path>]`: builds the Microsoft Teams app
// package (a zip of manifest.json, id-ID.json, color.png, outline.png) from adapters/botframework/teams/.
// The app id is the bot's Microsoft App ID (--app-id, else MICROSOFT_APP_ID); the developer fields come
// from TEAMS_DEVELOPER_NAME, TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL and TEAMS_TERMS_URL.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { buildZip } from './zip';

/** The folder holding the manifest template, its localisation file and the icons. */
export const TEAMS_DIR = join(__dirname, '..', 'adapters', 'botframework', 'teams');
/** Where the package is written without `--out`. */
export const DEFAULT_OUT = join(__dirname, '..', 'dist', 'teams', 'suara-teams.zip');
/** The package's files, in archive order; all at the zip root. */
export const PACKAGE_FILES = ['manifest.json', 'id-ID.json', 'color.png', 'outline.png'] as const;
/** The icon sizes Teams requires (square, in pixels). */
export const ICON_SIZES = { 'color.png': 192, 'outline.png': 32 } as const;

/** A refused input (bad app id, argument, URL or icon): the message is the whole explanation. */
export class PackageError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` is a GUID such as `00000000-0000-0000-0000-000000000000` (the form of a Microsoft App ID). */
export function isGuid(id: string): boolean {
  return GUID.test(id);
}

/** Command-line options of the packaging script. */
export interface PackageOptions {
  appId: string;
  out: string;
}

/**
 * Reads `--app-id <guid>` (else `MICROSOFT_APP_ID` from `env`) and `--out <path>` (default
 * {@link DEFAULT_OUT}; relative to the working directory). A refused app id is not echoed.
 *
 * @throws PackageError on an unknown argument, a missing value or an app id that is not a GUID
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): PackageOptions {
  let appId = env.MICROSOFT_APP_ID;
  let source = 'MICROSOFT_APP_ID';
  let out = DEFAULT_OUT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (flag !== '--app-id' && flag !== '--out') throw new PackageError(`unknown argument ${arg}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (!value) throw new PackageError(`${flag} needs a value`);
    if (flag === '--app-id') [appId, source] = [value, flag];
    else out = resolve(value);
  }
  appId = appId?.trim();
  if (!appId) {
    throw new PackageError('no app id: set MICROSOFT_APP_ID or pass --app-id <guid>');
  }
  if (!isGuid(appId)) {
    // The value is not shown: a client secret pasted by mistake must not reach a CI log.
    throw new PackageError(
      `${source} is not a GUID (${appId.length} characters): use the bot's Microsoft App ID, like 00000000-0000-0000-0000-000000000000`,
    );
  }
  return { appId, out };
}

function httpsUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PackageError(`${name} ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:') throw new PackageError(`${name} must be an https:// URL`);
  return value;
}

/**
 * The values of the manifest placeholders: `MICROSOFT_APP_ID` is `appId`, the developer fields come
 * from `env` or default to the example.go.id addresses.
 *
 * @throws PackageError when a developer URL is not https or the developer name is over 32 characters
 */
export function teamsValues(appId: string, env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const site = httpsUrl('TEAMS_WEBSITE_URL', env.TEAMS_WEBSITE_URL || 'https://example.go.id');
  const name = env.TEAMS_DEVELOPER_NAME || 'Suara';
  if (name.length > 32) throw new PackageError('TEAMS_DEVELOPER_NAME is over 32 characters');
  return {
    MICROSOFT_APP_ID: appId,
    TEAMS_DEVELOPER_NAME: name,
    TEAMS_WEBSITE_URL: site,
    TEAMS_PRIVACY_URL: httpsUrl(
      'TEAMS_PRIVACY_URL',
      env.TEAMS_PRIVACY_URL || new URL('/privacy', site).href,
    ),
    TEAMS_TERMS_URL: httpsUrl(
      'TEAMS_TERMS_URL',
      env.TEAMS_TERMS_URL || new URL('/terms', site).href,
    ),
  };
}

/**
 * Replaces every `{{NAME}}` in the strings of a parsed manifest (or localisation file) with
 * `values[NAME]`; returns a new value, `template` is left as it is.
 *
 * @throws PackageError on a placeholder without a value
 */
export function fillManifest<T>(template: T, values: Readonly<Record<string, string>>): T {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, key: string) => {
        const value = values[key];
        if (value === undefined) throw new PackageError(`no value for the placeholder {{${key}}}`);
        return value;
      });
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    }
    return v;
  };
  return fill(template) as T;
}

/** The header of a PNG file and, when decodable (8-bit, not interlaced, no palette), its pixels. */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** Samples a pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA), when decodable. */
  channels?: number;
  /** Unfiltered samples, rows top to bottom, when decodable. */
  pixels?: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Reads a PNG's IHDR and, for 8-bit non-interlaced grey/RGB(A) images, decodes the pixels.
 *
 * @throws PackageError when `data` is not a PNG
 */
export function readPng(data: Buffer): PngInfo {
  if (data.length < 33 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new PackageError('not a PNG file');
  }
  if (data.toString('latin1', 12, 16) !== 'IHDR') throw new PackageError('PNG without IHDR');
  const info: PngInfo = {
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    bitDepth: data.readUInt8(24),
    colorType: data.readUInt8(25),
  };
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[info.colorType];
  if (info.bitDepth !== 8 || data.readUInt8(28) !== 0 || !channels) return info;
  const idat: Buffer[] = [];
  for (let at = 8; at + 12 <= data.length; ) {
    const length = data.readUInt32BE(at);
    if (data.toString('latin1', at + 4, at + 8) === 'IDAT') {
      idat.push(data.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = info.width * channels;
  if (raw.length !== info.height * (stride + 1))
    throw new PackageError('PNG image data is truncated');
  const pixels = Buffer.alloc(info.height * stride);
  for (let y = 0; y < info.height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const cur = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter as number];
      if (pred === undefined)
        throw new PackageError(`PNG row ${y} has an unknown filter ${filter}`);
      pixels[y * stride + x] = (cur + pred) & 0xff;
    }
  }
  return { ...info, channels, pixels };
}

/**
 * Checks an icon against Teams' rules: `color.png` 192x192, `outline.png` 32x32 and white on a
 * transparent background (every pixel white or fully transparent).
 *
 * @throws PackageError naming the icon and what is wrong
 */
export function checkIcon(name: keyof typeof ICON_SIZES, data: Buffer): void {
  const png = (() => {
    try {
      return readPng(data);
    } catch (err) {
      throw new PackageError(`${name}: ${(err as Error).message}`);
    }
  })();
  const size = ICON_SIZES[name];
  if (png.width !== size || png.height !== size) {
    throw new PackageError(`${name} is ${png.width}x${png.height}, Teams needs ${size}x${size}`);
  }
  if (name !== 'outline.png') return;
  const { channels, pixels } = png;
  if (!pixels || !channels || channels % 2 !== 0) {
    throw new PackageError('outline.png must be an 8-bit PNG with an alpha channel (RGBA)');
  }
  for (let i = 0; i < pixels.length; i += channels) {
    const alpha = pixels[i + channels - 1];
    const white = pixels.subarray(i, i + channels - 1).every((v) => v === 255);
    if (alpha !== 0 && !white) {
      const p = i / channels;
      throw new PackageError(
        `outline.png must be white on transparent; pixel (${p % size}, ${Math.floor(p / size)}) is not`,
      );
    }
  }
}

/**
 * Builds the app package from the files in `dir`: fills the placeholders of manifest.json and
 * id-ID.json, checks the icons, and returns the zip.
 *
 * @throws PackageError on a missing file, a placeholder without a value or a bad icon
 */
export function buildPackage(
  appId: string,
  env: NodeJS.ProcessEnv = {},
  dir: string = TEAMS_DIR,
): Buffer {
  const values = teamsValues(appId, env);
  const read = (name: string): Buffer => {
    try {
      return readFileSync(join(dir, name));
    } catch {
      throw new PackageError(`missing ${join(dir, name)}`);
    }
  };
  const entries = PACKAGE_FILES.map((name) => {
    const data = read(name);
    if (name.endsWith('.png')) {
      checkIcon(name as keyof typeof ICON_SIZES, data);
      return { name, data };
    }
    let template: unknown;
    try {
      template = JSON.parse(data.toString('utf8'));
    } catch (err) {
      throw new PackageError(`${name} is not valid JSON: ${(err as Error).message}`);
    }
    const text = `${JSON.stringify(fillManifest(template, values), null, 2)}\n`;
    if (text.includes('{{'))
      throw new PackageError(`${name} still has a {{ placeholder after filling`);
    return { name, data: Buffer.from(text, 'utf8') };
  });
  return buildZip(entries);
}

/**
 * The command: writes the package and returns the exit code (0 written, 2 refused input), with a
 * one-line message on `stderr` when refused.
 */
export function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: { stdout: (line: string) => void; stderr: (line: string) => void } = {
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
  },
): number {
  try {
    const { appId, out } = parseArgs(argv, env);
    const zip = buildPackage(appId, env);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    io.stdout(`wrote ${out} (${zip.length} bytes): ${PACKAGE_FILES.join(', ')}`);
    if (!env.TEAMS_WEBSITE_URL) {
      io.stderr(
        'teams-package: TEAMS_WEBSITE_URL is not set, the developer links are example.go.id',
      );
    }
    return 0;
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    io.stderr(`teams-package: ${err.message}`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env);
}

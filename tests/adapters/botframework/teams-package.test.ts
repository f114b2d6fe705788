import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';
import { colorIcon, encodePng, outlineIcon } from '../../../scripts/teams-icons';
import {
  buildPackage,
  checkIcon,
  fillManifest,
  main,
  PACKAGE_FILES,
  PackageError,
  parseArgs,
  readPng,
  TEAMS_DIR,
  teamsValues,
} from '../../../scripts/teams-package';
import { buildZip, tableCrc32 } from '../../../scripts/zip';

const root = join(__dirname, '..', '..', '..');
const APP_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, looked into by the tests
type Json = any;
const readJson = (name: string): Json => JSON.parse(readFileSync(join(TEAMS_DIR, name), 'utf8'));

/** A ZIP reader independent of scripts/zip.ts: end record → central directory → local headers. */
function readZip(zip: Buffer): { name: string; data: Buffer; method: number }[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBe(zip.length - 22); // no archive comment
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  let at = zip.readUInt32LE(eocd + 16);
  expect(at + cdSize).toBe(eocd);
  const files = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const rawSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    expect(zip.toString('utf8', local + 30, local + 30 + zip.readUInt16LE(local + 26))).toBe(name);
    expect(zip.readUInt32LE(local + 14)).toBe(crc);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + size);
    expect([0, 8]).toContain(method);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(data.length).toBe(rawSize);
    expect(zlibCrc32(data)).toBe(crc);
    files.push({ name, data, method });
    at += 46 + skip;
  }
  return files;
}

function refused(call: () => unknown): string {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(PackageError);
    return (err as Error).message;
  }
  throw new Error('not refused');
}

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'suara-teams-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('the manifest template', () => {
  test('uses a released (GA) schema: $schema and manifestVersion name the same version', () => {
    const manifest = readJson('manifest.json');
    const version = /\/teams\/v(\d+\.\d+)\/MicrosoftTeams\.schema\.json$/.exec(
      manifest.$schema,
    )?.[1];
    expect(version).toBe(manifest.manifestVersion);
    expect(Number(version?.split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(readJson('id-ID.json').$schema).toBe(
      manifest.$schema.replace('MicrosoftTeams.schema', 'MicrosoftTeams.Localization.schema'),
    );
  });

  test('filled with a GUID: no placeholder left, the app and bot ids set, developer fields from env', () => {
    const template = readJson('manifest.json');
    const manifest = fillManifest(
      template,
      teamsValues(APP_ID, {
        TEAMS_DEVELOPER_NAME: 'Pemkot Contoh',
        TEAMS_WEBSITE_URL: 'https://lapor.contoh.go.id',
        TEAMS_TERMS_URL: 'https://lapor.contoh.go.id/syarat',
      }),
    );
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({
      botId: APP_ID,
      scopes: ['personal', 'team', 'groupChat'],
      supportsFiles: false,
      isNotificationOnly: false,
    });
    expect(manifest.bots[0].commandLists[0].scopes).toEqual(['personal']);
    expect(manifest.bots[0].commandLists[0].commands.map((c: Json) => c.title)).toEqual(
      expect.arrayContaining(['lapor', 'status', 'menu']),
    );
    expect(manifest.developer).toEqual({
      name: 'Pemkot Contoh',
      websiteUrl: 'https://lapor.contoh.go.id',
      privacyUrl: 'https://lapor.contoh.go.id/privacy',
      termsOfUseUrl: 'https://lapor.contoh.go.id/syarat',
    });
    expect(manifest.name).toEqual({ short: 'Suara', full: 'Suara — Layanan Pengaduan Warga' });
    expect(template.id).toBe('{{MICROSOFT_APP_ID}}'); // the template is not changed
  });

  test('developer fields default to example.go.id; a non-https URL or a long name is refused', () => {
    expect(teamsValues(APP_ID, {})).toMatchObject({
      TEAMS_DEVELOPER_NAME: 'Suara',
      TEAMS_WEBSITE_URL: 'https://example.go.id',
      TEAMS_PRIVACY_URL: 'https://example.go.id/privacy',
      TEAMS_TERMS_URL: 'https://example.go.id/terms',
    });
    expect(refused(() => teamsValues(APP_ID, { TEAMS_PRIVACY_URL: 'http://x.go.id/p' }))).toMatch(
      /TEAMS_PRIVACY_URL must be an https/,
    );
    expect(refused(() => teamsValues(APP_ID, { TEAMS_WEBSITE_URL: 'not a url' }))).toMatch(
      /TEAMS_WEBSITE_URL .* is not a URL/,
    );
    expect(refused(() => teamsValues(APP_ID, { TEAMS_DEVELOPER_NAME: 'x'.repeat(33) }))).toMatch(
      /over 32/,
    );
  });

  test('a placeholder without a value is refused', () => {
    expect(refused(() => fillManifest({ a: ['{{NOPE}}'] }, { MICROSOFT_APP_ID: APP_ID }))).toBe(
      'no value for the placeholder {{NOPE}}',
    );
  });

  test('the Indonesian file is declared, and translates only commands that exist', () => {
    const manifest = readJson('manifest.json');
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-US',
      additionalLanguages: [{ languageTag: 'id-ID', file: 'id-ID.json' }],
    });
    const strings = readJson('id-ID.json');
    expect(strings['name.short']).toBe('Suara');
    expect(strings['description.short']).toMatch(/laporan/i);
    const commands = manifest.bots[0].commandLists[0].commands;
    for (const key of Object.keys(strings).filter((k) => k.startsWith('bots'))) {
      const n = Number(
        /^bots\[0\]\.commandLists\[0\]\.commands\[(\d+)\]\.description$/.exec(key)?.[1],
      );
      expect(commands[n]).toBeDefined();
    }
  });
});

describe('the app id', () => {
  test.each([
    ['', /^(no app id|--app-id needs a value)/],
    ['   ', /no app id/],
    ['nope', /is not a GUID \(4 characters\)/],
    [`{${APP_ID}}`, /is not a GUID/],
    [APP_ID.slice(1), /is not a GUID/],
    [`${APP_ID}0`, /is not a GUID/],
    [APP_ID.replace('f', 'g'), /is not a GUID/],
  ])('%j is refused, and not echoed', (id, message) => {
    const flag = refused(() => parseArgs(['--app-id', id], {}));
    expect(flag).toMatch(message);
    const env = refused(() => parseArgs([], { MICROSOFT_APP_ID: id }));
    expect(env).toMatch(message);
    if (id.trim()) {
      expect(flag).toMatch(/^--app-id is not a GUID/);
      expect(env).toMatch(/^MICROSOFT_APP_ID is not a GUID/);
      expect(`${flag}\n${env}`).not.toContain(id);
    }
  });

  test('is read from MICROSOFT_APP_ID, --app-id wins; --out is resolved; unknown flags refused', () => {
    expect(parseArgs([], { MICROSOFT_APP_ID: ` ${APP_ID}\n` }).appId).toBe(APP_ID);
    const other = APP_ID.toUpperCase();
    expect(parseArgs([`--app-id=${other}`], { MICROSOFT_APP_ID: APP_ID }).appId).toBe(other);
    expect(parseArgs(['--app-id', APP_ID, '--out', 'x/y.zip'], {}).out).toBe(
      join(process.cwd(), 'x/y.zip'),
    );
    expect(parseArgs(['--app-id', APP_ID], {}).out).toBe(join(root, 'dist/teams/suara-teams.zip'));
    expect(refused(() => parseArgs(['--app-id'], {}))).toBe('--app-id needs a value');
    expect(refused(() => parseArgs(['--appid', APP_ID], {}))).toBe('unknown argument --appid');
  });

  test('main: a bad id gives exit code 2, one line on stderr, and no file', () => {
    const out = join(tmp, 'suara-teams.zip');
    const lines: string[] = [];
    const io = { stdout: (l: string) => lines.push(l), stderr: (l: string) => lines.push(l) };
    expect(main(['--app-id', 'abc', '--out', out], {}, io)).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/^teams-package: --app-id is not a GUID/)]);
    expect(existsSync(out)).toBe(false);
  });

  test('the command line: exit code 2 and a one-line error', () => {
    const run = spawnSync(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), join(root, 'scripts/teams-package.ts')],
      { env: { PATH: process.env.PATH, MICROSOFT_APP_ID: 'not-a-guid' }, encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^teams-package: MICROSOFT_APP_ID is not a GUID \(10 characters\)/),
    ]);
  });
});

describe('the package', () => {
  test('the zip holds the four files at its root, the manifests filled, the icons as committed', () => {
    const out = join(tmp, 'sub', 'suara-teams.zip');
    const lines: string[] = [];
    const io = { stdout: (l: string) => lines.push(l), stderr: (l: string) => lines.push(l) };
    const env = { MICROSOFT_APP_ID: APP_ID, TEAMS_WEBSITE_URL: 'https://lapor.contoh.go.id' };
    expect(main(['--out', out], env, io)).toBe(0);
    expect(lines).toEqual([expect.stringContaining(`wrote ${out}`)]);

    const files = readZip(readFileSync(out));
    expect(files.map((f) => f.name)).toEqual([...PACKAGE_FILES]);
    const byName = Object.fromEntries(files.map((f) => [f.name, f.data]));
    const values = teamsValues(APP_ID, env);
    const manifest = JSON.parse((byName['manifest.json'] as Buffer).toString('utf8'));
    expect(manifest).toEqual(fillManifest(readJson('manifest.json'), values));
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.developer.privacyUrl).toBe('https://lapor.contoh.go.id/privacy');
    expect(JSON.parse((byName['id-ID.json'] as Buffer).toString('utf8'))).toEqual(
      readJson('id-ID.json'),
    );
    for (const name of ['color.png', 'outline.png']) {
      expect(byName[name]).toEqual(readFileSync(join(TEAMS_DIR, name)));
    }
    expect(readFileSync(out)).toEqual(buildPackage(APP_ID, env)); // reproducible
  });

  const unzip = spawnSync('unzip', ['-v']).status === 0;
  (unzip ? test : test.skip)('unzip (Info-ZIP) tests the archive and lists the files', () => {
    const out = join(tmp, 'suara-teams.zip');
    writeFileSync(out, buildPackage(APP_ID));
    expect(spawnSync('unzip', ['-tq', out], { encoding: 'utf8' }).status).toBe(0);
    const list = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' }).stdout;
    expect(list.trim().split('\n')).toEqual([...PACKAGE_FILES]);
  });

  test('a missing or wrong-size icon stops the build', () => {
    for (const name of PACKAGE_FILES) copyFileSync(join(TEAMS_DIR, name), join(tmp, name));
    expect(() => buildPackage(APP_ID, {}, tmp)).not.toThrow();
    copyFileSync(join(TEAMS_DIR, 'color.png'), join(tmp, 'outline.png'));
    expect(refused(() => buildPackage(APP_ID, {}, tmp))).toBe(
      'outline.png is 192x192, Teams needs 32x32',
    );
    rmSync(join(tmp, 'color.png'));
    expect(refused(() => buildPackage(APP_ID, {}, tmp))).toMatch(/^missing .*color\.png$/);
  });
});

describe('the icons', () => {
  const color = readPng(readFileSync(join(TEAMS_DIR, 'color.png')));
  const outline = readPng(readFileSync(join(TEAMS_DIR, 'outline.png')));

  test('color.png is 192x192, opaque, in more than one colour', () => {
    expect([color.width, color.height]).toEqual([192, 192]);
    const px = color.pixels as Buffer;
    expect(color.channels).toBe(4);
    const colours = new Set<number>();
    let translucent = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] !== 255) translucent++;
      colours.add(px.readUInt32BE(i));
    }
    expect(translucent).toBe(0);
    expect(colours.size).toBeGreaterThan(2);
  });

  test('outline.png is 32x32, white on transparent, and not empty', () => {
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const px = outline.pixels as Buffer;
    let ink = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) continue;
      ink++;
      expect([px[i], px[i + 1], px[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(ink).toBeGreaterThan(100);
    expect(ink).toBeLessThan(32 * 32 - 100);
    expect(() =>
      checkIcon('outline.png', readFileSync(join(TEAMS_DIR, 'outline.png'))),
    ).not.toThrow();
  });

  test('the committed files are what scripts/teams-icons.ts draws', () => {
    expect(color.pixels).toEqual(colorIcon().pixels);
    expect(outline.pixels).toEqual(outlineIcon().pixels);
  });

  test('checkIcon refuses a wrong size and a coloured outline', () => {
    const blue = { width: 32, height: 32, pixels: Buffer.alloc(32 * 32 * 4, 0) };
    blue.pixels.set([0, 0, 255, 255], (5 * 32 + 7) * 4);
    expect(refused(() => checkIcon('outline.png', encodePng(blue)))).toBe(
      'outline.png must be white on transparent; pixel (7, 5) is not',
    );
    expect(refused(() => checkIcon('color.png', encodePng(blue)))).toBe(
      'color.png is 32x32, Teams needs 192x192',
    );
    expect(refused(() => checkIcon('color.png', Buffer.from('GIF89a')))).toBe(
      'color.png: not a PNG file',
    );
  });

  test('readPng undoes every PNG row filter (Sub, Up, Average, Paeth)', () => {
    // A 3x2 RGBA image written with filters 1..4 by hand, checked against the pixels.
    const pixels = Buffer.from(Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37 + 11) % 256));
    for (const filter of [1, 2, 3, 4]) {
      const png = encodePng({ width: 3, height: 2, pixels });
      const decoded = readPng(refilter(png, pixels, 3, 2, filter));
      expect(decoded.pixels).toEqual(pixels);
    }
  });
});

describe('the zip writer', () => {
  test('stores what does not shrink, deflates the rest, keeps UTF-8 names; refuses duplicates', () => {
    const noise = randomBytes(512);
    const text = Buffer.from('Suara '.repeat(200));
    const files = readZip(
      buildZip([
        { name: 'noise.bin', data: noise },
        { name: 'lapor/ü.txt', data: text },
        { name: 'empty', data: Buffer.alloc(0) },
      ]),
    );
    expect(files.map((f) => [f.name, f.method])).toEqual([
      ['noise.bin', 0],
      ['lapor/ü.txt', 8],
      ['empty', 0],
    ]);
    expect(files[0]?.data).toEqual(noise);
    expect(files[1]?.data).toEqual(text);
    expect(files[2]?.data).toEqual(Buffer.alloc(0));
    expect(() =>
      buildZip([
        { name: 'a', data: text },
        { name: 'a', data: text },
      ]),
    ).toThrow(/duplicate/);
    expect(() => buildZip([{ name: '/abs', data: text }])).toThrow(/bad/);
  });

  test('the table CRC-32 (for Node < 20.15) agrees with zlib.crc32', () => {
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = readFileSync(join(TEAMS_DIR, 'color.png'));
    expect(tableCrc32(data)).toBe(zlibCrc32(data));
  });
});

/** Re-encodes `pixels` as a PNG whose rows all use `filter` (1 Sub, 2 Up, 3 Average, 4 Paeth). */
function refilter(png: Buffer, pixels: Buffer, width: number, height: number, filter: number) {
  const stride = width * 4;
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : (pixels[y * stride + x] as number));
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(filter);
    for (let x = 0; x < stride; x++) {
      const [a, b, c] = [at(x - 4, y), at(x, y - 1), at(x - 4, y - 1)];
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter] as number;
      raw.push((at(x, y) - pred) & 0xff);
    }
  }
  // The signature and IHDR of `png`, then one IDAT of the re-filtered rows (no IEND: not read).
  const idat = deflateSync(Buffer.from(raw));
  const head = png.subarray(0, 33);
  const chunk = Buffer.alloc(8);
  chunk.writeUInt32BE(idat.length, 0);
  chunk.write('IDAT', 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlibCrc32(Buffer.concat([chunk.subarray(4), idat])), 0);
  return Buffer.concat([head, chunk, idat, crc]);
}

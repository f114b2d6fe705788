// A minimal ZIP writer (no ZIP64, no encryption): enough for a Teams app package.
import * as zlib from 'node:zlib';

/** One file of a ZIP archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading `/` (e.g. `manifest.json`). */
  name: string;
  data: Buffer;
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as used by ZIP and PNG) by table lookup, for Node versions without `zlib.crc32`. */
export function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `data`: `zlib.crc32` where Node has it (20.15+), else {@link tableCrc32}. */
export function crc32(data: Uint8Array): number {
  return typeof zlib.crc32 === 'function' ? zlib.crc32(data) : tableCrc32(data);
}

/** MS-DOS time and date fields of `d`, from its UTC fields (so the output does not depend on the time zone). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** Entry time when none is given (1980-01-01, the earliest DOS date): the same inputs give the same bytes. */
const EPOCH = new Date(Date.UTC(1980, 0, 1));
/** General-purpose flag bit 11: the file name is UTF-8. */
const UTF8 = 0x0800;

/**
 * Builds a ZIP archive of `entries`, each deflated (or stored when deflating does not make it
 * smaller), with local file headers, a central directory and the end-of-central-directory record.
 *
 * @param entries files in archive order; names must be unique, relative and not empty
 * @param mtime modification time written for every entry (default 1980-01-01, for reproducible output)
 * @throws Error on a bad or duplicate name, or an archive too large for ZIP without ZIP64
 */
export function buildZip(entries: readonly ZipEntry[], mtime: Date = EPOCH): Buffer {
  const { time, date } = dosDateTime(mtime);
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    if (
      !entry.name ||
      entry.name.startsWith('/') ||
      entry.name.includes('\\') ||
      seen.has(entry.name)
    ) {
      throw new Error(`zip: bad or duplicate entry name ${JSON.stringify(entry.name)}`);
    }
    seen.add(entry.name);
    const deflated = zlib.deflateRawSync(entry.data, { level: 9 });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : deflated;
    const crc = crc32(entry.data);
    if (offset + 30 + name.length + body.length > 0xffffffff || entries.length > 0xffff) {
      throw new Error('zip: archive too large (ZIP64 is not supported)');
    }

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed to extract: 2.0 (deflate)
    local.writeUInt16LE(UTF8, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8); // method: 0 stored, 8 deflated
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory file header signature
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, ZIP 2.0 (so the mode below is read)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // 30: extra length, 32: comment length, 34: disk number, 36: internal attributes: all 0
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file, rw-r--r--
    central.writeUInt32LE(offset, 42); // offset of the local header
    centrals.push(central, name);

    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  // 4: this disk, 6: disk with the central directory: 0
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  // 20: comment length 0
  return Buffer.concat([...locals, directory, end]);
}

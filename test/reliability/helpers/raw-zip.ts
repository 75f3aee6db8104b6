/**
 * Hand-assembled ZIP archives for hostile-file tests: each entry's packed bytes, method, CRC and
 * declared size are written exactly as given, so an archive can lie about its sizes the way a
 * crafted file does (capa's own writer and fflate always tell the truth).
 */
import { createDeflateRaw, constants as zlibConstants } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: 0 | 8;
  packed: Uint8Array;
  /** The uncompressed size the headers declare. */
  declaredSize: number;
  crc?: number;
}

export function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, entry.method, true);
    local.setUint32(14, entry.crc ?? 0, true);
    local.setUint32(18, entry.packed.length, true);
    local.setUint32(22, entry.declaredSize, true);
    local.setUint16(26, name.length, true);
    const dir = new DataView(new ArrayBuffer(46));
    dir.setUint32(0, 0x02014b50, true);
    dir.setUint16(4, 20, true);
    dir.setUint16(6, 20, true);
    dir.setUint16(10, entry.method, true);
    dir.setUint32(16, entry.crc ?? 0, true);
    dir.setUint32(20, entry.packed.length, true);
    dir.setUint32(24, entry.declaredSize, true);
    dir.setUint16(28, name.length, true);
    dir.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, entry.packed);
    central.push(new Uint8Array(dir.buffer), name);
    offset += 30 + name.length + entry.packed.length;
  }
  const directorySize = central.reduce((s, p) => s + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directorySize, true);
  end.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, new Uint8Array(end.buffer)]);
}

/** A raw DEFLATE stream of `bytes` zeros (1 GiB packs into about 1 MB), made without holding them in memory. */
export async function deflatedZeros(bytes: number): Promise<Uint8Array> {
  const deflate = createDeflateRaw({ level: 9, strategy: zlibConstants.Z_RLE });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const block = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= block.length) deflate.write(block.subarray(0, Math.min(left, block.length)));
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

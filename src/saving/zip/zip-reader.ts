/**
 * A defensive ZIP reader for model archives (`.keras`). It reads the central directory itself so
 * every entry can be checked before anything is extracted: names that would escape the archive
 * (absolute, `..`, drive letters, backslashes), symbolic links, duplicate names, encryption,
 * unknown compression, overlapping entries and sizes past the limits (zip bombs) are refused, and
 * every extracted entry is checked against its declared size and CRC-32. Inflating stops the
 * moment an entry passes its declared size, its caller's cap or a plausible compression ratio
 * (bounded-inflate.ts), so a small archive can never make the process allocate gigabytes.
 */
import { SavingError } from '../errors.js';
import { InflateStopped, inflateBounded } from './bounded-inflate.js';
import { crc32 } from './crc32.js';

export interface ZipLimits {
  /** Most entries an archive may hold. */
  maxEntries: number;
  /** Largest uncompressed size of one entry, in bytes. */
  maxEntryBytes: number;
  /** Largest total uncompressed size, in bytes. */
  maxTotalBytes: number;
  /**
   * Largest ratio of inflated to compressed bytes a deflated entry may reach (past its first MiB).
   * Real weights and configs compress far less; 1 GiB of zeros packs into 1 MB (1000:1).
   */
  maxCompressionRatio: number;
  /** Largest JSON entry (config.json, metadata.json): parsed JSON takes several times its size in memory. */
  maxJsonEntryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 2 ** 31 - 1,
  maxTotalBytes: 2 ** 32,
  maxCompressionRatio: 100,
  maxJsonEntryBytes: 64 << 20,
};

export interface ReadOptions {
  /** This entry's own cap in bytes (e.g. a small one for JSON), checked before inflating anything. */
  maxBytes?: number;
}

/** What the central directory says about one entry. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  crc: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why an entry name is unsafe to extract, or null when it is fine. */
export function unsafeEntryNameReason(name: string): string | null {
  if (name.length === 0) return 'an empty name';
  if (name.includes('\0')) return 'a NUL character in its name';
  if (name.includes('\\')) return 'a backslash in its name (a Windows path separator)';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  if (name.split('/').some((part) => part === '..')) return 'a ".." component that points outside the archive';
  return null;
}

class ByteView {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16(at: number): number {
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    return this.view.getUint32(at, true);
  }
  u64(at: number): number {
    const value = this.view.getBigUint64(at, true);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
  }
}

/**
 * An opened archive: the checked list of entries, and `read(name)` to extract one (verified).
 */
export class ZipArchive {
  private readonly entries = new Map<string, ZipEntryInfo>();

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly label: string,
    readonly limits: Readonly<ZipLimits>,
    entries: ZipEntryInfo[],
  ) {
    for (const entry of entries) this.entries.set(entry.name, entry);
  }

  /** Parses and checks the archive's directory; nothing is inflated yet. Limits not given keep their defaults. */
  static open(bytes: Uint8Array, label: string, limits: Partial<ZipLimits> = {}): ZipArchive {
    const all = { ...DEFAULT_ZIP_LIMITS, ...limits };
    return new ZipArchive(bytes, label, all, readCentralDirectory(bytes, label, all));
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** What the central directory declares for an entry (nothing is read); undefined when absent. */
  info(name: string): Readonly<ZipEntryInfo> | undefined {
    return this.entries.get(name);
  }

  /**
   * The entry's bytes, inflated and verified against its declared size and CRC-32. A stored
   * entry comes back as a view into the archive's bytes: treat it as read-only.
   */
  read(name: string, options: ReadOptions = {}): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new SavingError(this.label, `the archive has no entry '${name}' (entries: ${this.names().join(', ') || 'none'}).`);
    }
    if (options.maxBytes !== undefined && entry.uncompressedSize > options.maxBytes) {
      throw new SavingError(
        this.label,
        `ZIP entry '${name}' declares ${entry.uncompressedSize} bytes, more than the ${options.maxBytes}-byte limit for this entry.`,
      );
    }
    return extractEntry(this.bytes, entry, this.label, this.limits.maxCompressionRatio);
  }
}

function findEndOfCentralDirectory(view: ByteView, label: string): number {
  const { bytes } = view;
  if (bytes.length < 22) {
    throw new SavingError(
      label,
      `is not a ZIP archive (only ${bytes.length} bytes; the file is truncated or not a model archive).`,
    );
  }
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= earliest; at--) {
    if (view.u32(at) === EOCD_SIGNATURE && at + 22 + view.u16(at + 20) === bytes.length) return at;
  }
  const startsLikeZip = bytes.length >= 4 && view.u32(0) === LOCAL_SIGNATURE;
  throw new SavingError(
    label,
    startsLikeZip
      ? 'the ZIP archive is truncated or corrupt: its end-of-central-directory record is missing.'
      : 'is not a ZIP archive (no end-of-central-directory record; a .keras file is a ZIP archive).',
  );
}

function readCentralDirectory(bytes: Uint8Array, label: string, limits: ZipLimits): ZipEntryInfo[] {
  const view = new ByteView(bytes);
  const eocd = findEndOfCentralDirectory(view, label);
  let entryCount = view.u16(eocd + 10);
  let directorySize = view.u32(eocd + 12);
  let directoryOffset = view.u32(eocd + 16);
  if (view.u16(eocd + 4) !== 0 || view.u16(eocd + 6) !== 0) {
    throw new SavingError(label, 'multi-volume (split) ZIP archives are not supported.');
  }
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.u32(locator) !== ZIP64_LOCATOR_SIGNATURE) {
      throw new SavingError(label, 'the ZIP archive is corrupt: a ZIP64 archive without its ZIP64 locator.');
    }
    const record = view.u64(locator + 8);
    if (record + 56 > eocd || view.u32(record) !== ZIP64_EOCD_SIGNATURE) {
      throw new SavingError(label, 'the ZIP archive is corrupt: the ZIP64 end-of-central-directory record is missing.');
    }
    entryCount = view.u64(record + 32);
    directorySize = view.u64(record + 40);
    directoryOffset = view.u64(record + 48);
  }
  if (entryCount > limits.maxEntries) {
    throw new SavingError(label, `the archive lists ${entryCount} entries, more than the limit of ${limits.maxEntries}.`);
  }
  if (directoryOffset + directorySize > eocd) {
    throw new SavingError(label, 'the ZIP archive is truncated or corrupt: its central directory lies outside the file.');
  }
  const entries: ZipEntryInfo[] = [];
  const seen = new Set<string>();
  let total = 0;
  let at = directoryOffset;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let i = 0; i < entryCount; i++) {
    if (at + 46 > eocd || view.u32(at) !== CENTRAL_SIGNATURE) {
      throw new SavingError(label, `the ZIP archive is corrupt: central directory entry #${i} is damaged.`);
    }
    const madeBy = view.u16(at + 4);
    const flags = view.u16(at + 8);
    const method = view.u16(at + 10);
    const crc = view.u32(at + 16);
    let compressedSize = view.u32(at + 20);
    let uncompressedSize = view.u32(at + 24);
    const nameLength = view.u16(at + 28);
    const extraLength = view.u16(at + 30);
    const commentLength = view.u16(at + 32);
    const externalAttributes = view.u32(at + 38);
    let localHeaderOffset = view.u32(at + 42);
    const nameStart = at + 46;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > eocd)
      throw new SavingError(label, `the ZIP archive is corrupt: central directory entry #${i} runs past the directory.`);
    const name = decoder.decode(bytes.subarray(nameStart, extraStart));
    ({ compressedSize, uncompressedSize, localHeaderOffset } = applyZip64Extra(view, extraStart, extraLength, {
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    }));
    const unsafe = unsafeEntryNameReason(name);
    if (unsafe) throw new SavingError(label, `refusing ZIP entry '${name}': it has ${unsafe}.`);
    if (madeBy >> 8 === UNIX_HOST && ((externalAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      throw new SavingError(label, `refusing ZIP entry '${name}': it is a symbolic link.`);
    }
    if (seen.has(name)) throw new SavingError(label, `refusing the archive: the entry name '${name}' appears twice.`);
    seen.add(name);
    if (flags & 0x1) throw new SavingError(label, `refusing ZIP entry '${name}': it is encrypted.`);
    if (method !== 0 && method !== 8) {
      throw new SavingError(
        label,
        `ZIP entry '${name}' uses compression method ${method}; only stored (0) and deflate (8) are supported.`,
      );
    }
    if (uncompressedSize > limits.maxEntryBytes) {
      throw new SavingError(
        label,
        `ZIP entry '${name}' declares ${uncompressedSize} bytes, more than the limit of ${limits.maxEntryBytes}.`,
      );
    }
    total += uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw new SavingError(label, `the archive's entries add up to more than the limit of ${limits.maxTotalBytes} bytes.`);
    }
    if (method === 0 && compressedSize !== uncompressedSize) {
      throw new SavingError(label, `the ZIP archive is corrupt: stored entry '${name}' has different packed and unpacked sizes.`);
    }
    if (!name.endsWith('/')) entries.push({ name, method, compressedSize, uncompressedSize, crc, localHeaderOffset });
    at = next;
  }
  checkNoOverlap(view, entries, label, directoryOffset);
  return entries;
}

interface Sizes {
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** Sizes set to 0xffffffff live in the ZIP64 extended-information extra field (id 1). */
function applyZip64Extra(view: ByteView, start: number, length: number, sizes: Sizes): Sizes {
  const out = { ...sizes };
  let at = start;
  while (at + 4 <= start + length) {
    const id = view.u16(at);
    const size = view.u16(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const end = field + size;
      if (out.uncompressedSize === 0xffffffff && field + 8 <= end) {
        out.uncompressedSize = view.u64(field);
        field += 8;
      }
      if (out.compressedSize === 0xffffffff && field + 8 <= end) {
        out.compressedSize = view.u64(field);
        field += 8;
      }
      if (out.localHeaderOffset === 0xffffffff && field + 8 <= end) out.localHeaderOffset = view.u64(field);
    }
    at += 4 + size;
  }
  return out;
}

/** Where an entry's data starts, after its local header. */
function dataStart(view: ByteView, entry: ZipEntryInfo, label: string): number {
  const at = entry.localHeaderOffset;
  if (at + 30 > view.bytes.length || view.u32(at) !== LOCAL_SIGNATURE) {
    throw new SavingError(label, `the ZIP archive is corrupt: the local header of '${entry.name}' is missing or damaged.`);
  }
  return at + 30 + view.u16(at + 26) + view.u16(at + 28);
}

/** Refuses archives whose entries share bytes (the trick behind non-recursive zip bombs). */
function checkNoOverlap(view: ByteView, entries: ZipEntryInfo[], label: string, directoryOffset: number): void {
  const spans = entries
    .map((entry) => ({ entry, start: entry.localHeaderOffset, end: dataStart(view, entry, label) + entry.compressedSize }))
    .sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (span.end > directoryOffset) {
      throw new SavingError(
        label,
        `the ZIP archive is truncated or corrupt: entry '${span.entry.name}' runs past its data area.`,
      );
    }
    const next = spans[i + 1];
    if (next && next.start < span.end) {
      throw new SavingError(label, `refusing the archive: entries '${span.entry.name}' and '${next.entry.name}' overlap.`);
    }
  }
}

function extractEntry(bytes: Uint8Array, entry: ZipEntryInfo, label: string, maxRatio: number): Uint8Array {
  const view = new ByteView(bytes);
  const start = dataStart(view, entry, label);
  const packed = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    // A view, not a copy: a stored entry's bytes are the archive's own (a big model's weights
    // would otherwise sit in memory twice while they are read).
    out = packed;
  } else {
    try {
      out = inflateBounded(packed, { maxBytes: entry.uncompressedSize, maxRatio });
    } catch (error) {
      if (error instanceof InflateStopped) {
        const { stop } = error;
        throw new SavingError(
          label,
          stop.kind === 'too-large'
            ? `refusing ZIP entry '${entry.name}': it inflates past its declared ${entry.uncompressedSize} bytes (the archive is corrupt or a zip bomb).`
            : `refusing ZIP entry '${entry.name}': ${stop.consumed} compressed bytes inflated to ${stop.written} ` +
                `(over ${maxRatio}:1, the zipLimits.maxCompressionRatio limit; the archive looks like a zip bomb).`,
        );
      }
      throw new SavingError(
        label,
        `ZIP entry '${entry.name}' is corrupt: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    if (out.length !== entry.uncompressedSize) {
      throw new SavingError(label, `ZIP entry '${entry.name}' is truncated: ${out.length} of ${entry.uncompressedSize} bytes.`);
    }
  }
  if (crc32(out) !== entry.crc) {
    throw new SavingError(label, `ZIP entry '${entry.name}' is corrupt: its CRC-32 does not match its contents.`);
  }
  return out;
}

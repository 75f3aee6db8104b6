/**
 * Reading the shard files of a weights manifest group: never more bytes than the manifest
 * declares. Before anything is read, every shard path is checked (inside the model's folder, each
 * named once) and every shard's real size is summed and compared with the bytes the group's
 * weights need, so a manifest that lists one shard a thousand times, or points at `/dev/zero`,
 * is refused before it costs memory. Groups capa wrote also carry each shard's size and CRC-32
 * (`shardBytes`, `shardCrc32`): a folder mixing shards of two saves is named, not loaded.
 */
import { SavingError } from '../errors.js';
import { crc32 } from '../zip/crc32.js';
import { unsafeEntryNameReason } from '../zip/zip-reader.js';

interface NodeZlibLike {
  crc32?: (bytes: Uint8Array) => number;
}

/** zlib's CRC-32 where Node has it (about 15 times faster: a big model's shards are hundreds of MB), else the portable one. */
const checksum: (bytes: Uint8Array) => number = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const zlib = proc?.getBuiltinModule?.('node:zlib') as NodeZlibLike | undefined;
  const native = zlib?.crc32;
  return native ? (bytes: Uint8Array) => native(bytes) >>> 0 : crc32;
})();

/** Access to shard files by their path relative to model.json. */
export interface ShardReader {
  /** The shard's size in bytes; refuses what is not a regular file. */
  size(path: string): Promise<number>;
  /** Fills `into` with the shard's bytes (exactly `into.length` of them). */
  readInto(path: string, into: Uint8Array): Promise<void>;
}

/** A ShardReader over shards already in memory (tests, bytes-level callers). */
export function shardReaderFromBytes(read: (path: string) => Uint8Array | Promise<Uint8Array>): ShardReader {
  return {
    size: async (path) => (await read(path)).length,
    readInto: async (path, into) => into.set((await read(path)).subarray(0, into.length)),
  };
}

/**
 * A shard path from model.json in canonical form (`./a//b.bin` is `a/b.bin`), refused when it
 * could reach outside the model's folder.
 */
export function safeShardPath(path: string, label: string): string {
  const canonical = path
    .split('/')
    .filter((part, i) => part !== '.' && (part !== '' || i === 0))
    .join('/');
  const unsafe = unsafeEntryNameReason(canonical);
  if (unsafe || /^[a-z][a-z0-9+.-]*:/i.test(canonical)) {
    throw new SavingError(
      label,
      `refusing weight shard path '${path}': ${unsafe ? `it has ${unsafe}` : 'it is a URL'}; shards must sit beside model.json.`,
    );
  }
  return canonical;
}

/** What capa records per group so a load can tell its shards from another save's. */
export interface ShardChecks {
  shardBytes: number[];
  shardCrc32: number[];
}

export function shardChecksOf(shards: readonly Uint8Array[]): ShardChecks {
  return { shardBytes: shards.map((s) => s.length), shardCrc32: shards.map(checksum) };
}

/** The group's `shardBytes`/`shardCrc32`, or null for groups written by others (tfjs itself). */
export function parseShardChecks(
  group: Record<string, unknown>,
  count: number,
  label: string,
  where: string,
): ShardChecks | null {
  const { shardBytes, shardCrc32 } = group;
  if (shardBytes === undefined && shardCrc32 === undefined) return null;
  const valid = (list: unknown): list is number[] =>
    Array.isArray(list) && list.length === count && list.every((n) => Number.isSafeInteger(n) && n >= 0);
  if (!valid(shardBytes) || !valid(shardCrc32)) {
    throw new SavingError(label, `${where}: 'shardBytes' and 'shardCrc32' should each list one whole number per shard path.`);
  }
  return { shardBytes, shardCrc32 };
}

/**
 * The concatenated bytes of a group's shards, `needed` bytes in all: the sizes are checked
 * against the manifest before one byte is read, the contents against the checksums after.
 * `tooShort(total)` builds the error for shards that hold fewer bytes than the weights need.
 */
export async function readGroupShards(
  paths: readonly string[],
  needed: number,
  checks: ShardChecks | null,
  reader: ShardReader,
  tooShort: (total: number) => SavingError,
  label: string,
  where: string,
): Promise<Uint8Array> {
  const sizes: number[] = [];
  for (const path of paths) sizes.push(await reader.size(path));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total < needed) throw tooShort(total);
  if (total > needed) {
    throw new SavingError(
      label,
      `${where}: the shards (${paths.join(', ')}) hold ${total} bytes but the manifest describes ${needed}; the files do not match.`,
    );
  }
  const mixed = (path: string, detail: string) =>
    new SavingError(
      label,
      `shard '${path}' does not match model.json (${detail}); the folder mixes files of different saves ` +
        '(an interrupted save, or files copied over), or the shard is damaged.',
    );
  paths.forEach((path, i) => {
    if (checks && sizes[i] !== checks.shardBytes[i])
      throw mixed(path, `it has ${sizes[i]} bytes, model.json records ${checks.shardBytes[i]}`);
  });
  const bytes = new Uint8Array(needed);
  let offset = 0;
  for (const [i, path] of paths.entries()) {
    const part = bytes.subarray(offset, offset + sizes[i]!);
    await reader.readInto(path, part);
    if (checks && checksum(part) !== checks.shardCrc32[i])
      throw mixed(path, 'its CRC-32 differs from the one model.json records');
    offset += sizes[i]!;
  }
  return bytes;
}

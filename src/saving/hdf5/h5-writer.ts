/**
 * Builds an HDF5 file in memory and returns its bytes (the caller writes them, atomically).
 * Groups along a path are created as needed, as h5py does; list-of-strings attributes are
 * written the way Keras writes them (fixed-length byte strings, split into numbered chunks past
 * HDF5's 64 KB object-header limit) so Keras and h5py read them back unchanged.
 */
import { summarizeHdf5Error } from './h5-errors.js';
import { type H5File, type H5Group, h5Runtime, scratchPath } from './h5wasm-module.js';

export type H5WritableData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

export interface H5WritableArray {
  shape: readonly number[];
  data: H5WritableData;
}

/** Keras's `HDF5_OBJECT_HEADER_LIMIT`: the most bytes one attribute may take before it is chunked. */
export const HDF5_OBJECT_HEADER_LIMIT = 64512;

function h5Dtype(data: H5WritableData): string {
  if (data instanceof Float32Array) return '<f';
  if (data instanceof Float64Array) return '<d';
  if (data instanceof Int32Array) return '<i';
  if (data instanceof BigInt64Array) return '<q';
  if (data instanceof Int8Array) return '<b';
  return '<B';
}

const encoder = new TextEncoder();

/** Splits like `np.array_split`: the first `n % k` chunks get one extra item. */
function arraySplit<T>(items: readonly T[], chunks: number): T[][] {
  const base = Math.floor(items.length / chunks);
  const extra = items.length % chunks;
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; i < chunks; i++) {
    const size = base + (i < extra ? 1 : 0);
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

export class H5Writer {
  private finished = false;

  private constructor(
    private readonly file: H5File,
    private readonly scratch: string,
    private readonly fs: { readFile(path: string): Uint8Array; unlink(path: string): void },
  ) {}

  static async create(): Promise<H5Writer> {
    const { api, fs } = await h5Runtime();
    const scratch = scratchPath();
    return new H5Writer(new api.File(scratch, 'w'), scratch, fs);
  }

  private fail(what: string, error: unknown): never {
    throw new Error(`HDF5 writer: cannot ${what}: ${summarizeHdf5Error(error)}`);
  }

  /** The group at `path` (''/'/' is the root), creating it and its parents when missing. */
  group(path: string): H5Group {
    let current: H5Group = this.file;
    for (const part of path.split('/').filter((p) => p.length > 0)) {
      const existing = current.get(part);
      if (existing === null) {
        try {
          current = current.create_group(part);
        } catch (error) {
          this.fail(`create group '${path}'`, error);
        }
      } else if ((existing as { type?: string }).type === 'Group') {
        current = existing as H5Group;
      } else {
        throw new Error(`HDF5 writer: '${path}' needs '${part}' to be a group, but a dataset is there.`);
      }
    }
    return current;
  }

  private split(path: string): { parent: H5Group; name: string } {
    const cut = path.lastIndexOf('/');
    return { parent: this.group(cut < 0 ? '' : path.slice(0, cut)), name: cut < 0 ? path : path.slice(cut + 1) };
  }

  /** A dataset at `path` (parents created), stored contiguously like h5py's default. */
  dataset(path: string, array: H5WritableArray): void {
    const { parent, name } = this.split(path);
    try {
      parent.create_dataset({ name, data: array.data, shape: [...array.shape], dtype: h5Dtype(array.data) });
    } catch (error) {
      this.fail(`write dataset '${path}'`, error);
    }
  }

  /** A scalar UTF-8 string attribute (JSON configs, versions). */
  stringAttr(path: string, name: string, value: string): void {
    try {
      this.group(path).create_attribute(name, value);
    } catch (error) {
      this.fail(`write attribute '${name}' of '${path || '/'}'`, error);
    }
  }

  /**
   * A list of names as Keras's `save_attributes_to_hdf5_group` stores it: fixed-length byte
   * strings; an empty list as numpy's `asarray([])` (float64, shape [0]); chunked into
   * `name0`, `name1`, ... when the array would pass `HDF5_OBJECT_HEADER_LIMIT` bytes.
   */
  stringListAttr(path: string, name: string, values: readonly string[]): void {
    const group = this.group(path);
    try {
      if (values.length === 0) {
        group.create_attribute(name, new Float64Array(0), [0], '<d');
        return;
      }
      const itemSize = Math.max(1, ...values.map((value) => encoder.encode(value).length));
      if (itemSize > HDF5_OBJECT_HEADER_LIMIT) {
        throw new Error(`one entry is ${itemSize} bytes, more than HDF5's ${HDF5_OBJECT_HEADER_LIMIT}-byte attribute limit`);
      }
      let chunks = 1;
      while (Math.ceil(values.length / chunks) * itemSize > HDF5_OBJECT_HEADER_LIMIT) chunks++;
      if (chunks === 1) {
        group.create_attribute(name, [...values], [values.length], `S${itemSize}`);
        return;
      }
      arraySplit(values, chunks).forEach((chunk, i) => {
        group.create_attribute(`${name}${i}`, chunk, [chunk.length], `S${itemSize}`);
      });
    } catch (error) {
      this.fail(`write attribute '${name}' of '${path || '/'}'`, error);
    }
  }

  /** Closes the file and returns its bytes. */
  toBytes(): Uint8Array {
    if (this.finished) throw new Error('HDF5 writer: the file was already finished.');
    this.finished = true;
    try {
      this.file.close();
      return this.fs.readFile(this.scratch);
    } finally {
      this.fs.unlink(this.scratch);
    }
  }

  /** Drops the file (after a failure), leaving nothing behind. */
  discard(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      this.file.close();
    } catch {
      // The file is being thrown away; a failure to close it changes nothing.
    } finally {
      this.fs.unlink(this.scratch);
    }
  }
}

/** Builds an HDF5 file with `body` and returns its bytes; on failure nothing is kept. */
export async function buildH5(body: (writer: H5Writer) => void | Promise<void>): Promise<Uint8Array> {
  const writer = await H5Writer.create();
  try {
    await body(writer);
  } catch (error) {
    writer.discard();
    throw error;
  }
  return writer.toBytes();
}

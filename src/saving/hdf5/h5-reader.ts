/**
 * Read access to an HDF5 file held in memory: groups, datasets and attributes, with errors that
 * name the file and the missing or malformed field. Strings come back decoded; Keras's chunked
 * list attributes (`layer_names0`, `layer_names1`, ... when a list passes HDF5's 64 KB header
 * limit) are joined like Keras's `load_attributes_from_hdf5_group`.
 */
import { describeError, SavingError } from '../errors.js';
import { summarizeHdf5Error } from './h5-errors.js';
import { hdf5HeaderProblem } from './h5-header.js';
import { type H5Dataset, type H5File, type H5Group, h5Runtime, scratchPath } from './h5wasm-module.js';

export type H5NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A dataset's values: row-major, with its shape (`[]` for a scalar). */
export interface H5Array {
  shape: number[];
  /** numpy-style kind of the stored elements, e.g. 'float32', 'int64', 'bool'. */
  dtype: string;
  data: H5NumericArray;
}

/** What a dataset's header says, checked against the file's size; no values are read. */
export interface H5DatasetInfo {
  shape: number[];
  dtype: string;
  /** Number of elements (the product of the shape). */
  size: number;
  /** Bytes the values take once read. */
  bytes: number;
  /** Stored through a compression filter (may take less room in the file than `bytes`). */
  compressed: boolean;
}

export type H5AttrValue = string | number | boolean | string[] | number[];

type Entity = ReturnType<H5Group['get']>;

function isGroup(entity: Entity): entity is H5Group {
  return entity !== null && (entity as { type?: string }).type === 'Group';
}

function isDataset(entity: Entity): entity is H5Dataset {
  return entity !== null && (entity as { type?: string }).type === 'Dataset';
}

function numpyName(metadata: H5Dataset['metadata']): string {
  const { type, size, signed } = metadata;
  if ((metadata as { enum_type?: unknown }).enum_type !== undefined && size === 1) return 'bool';
  if (type === 1) return `float${size * 8}`;
  if (type === 0) return `${signed ? 'int' : 'uint'}${size * 8}`;
  return `HDF5 type class ${type}`;
}

function normalizeAttr(value: unknown): H5AttrValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string')) return value as string[];
    return value.map((item) => (typeof item === 'bigint' ? Number(item) : Number(item)));
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (item) => Number(item));
  }
  return String(value);
}

export class H5Reader {
  private closed = false;

  private constructor(
    private readonly file: H5File,
    private readonly scratch: string,
    private readonly unlink: (path: string) => void,
    /** The file's name, for messages. */
    readonly label: string,
    /** The file's length in bytes: no dataset stored in it can hold more. */
    readonly fileBytes: number,
  ) {}

  /** Opens HDF5 bytes; a truncated or corrupt file fails here with a message naming `label`. */
  static async fromBytes(bytes: Uint8Array, label: string): Promise<H5Reader> {
    const problem = hdf5HeaderProblem(bytes);
    if (problem) throw new SavingError(label, problem);
    const { api, fs } = await h5Runtime();
    const scratch = scratchPath();
    fs.writeFile(scratch, bytes);
    try {
      return new H5Reader(new api.File(scratch, 'r'), scratch, (path) => fs.unlink(path), label, bytes.length);
    } catch (error) {
      fs.unlink(scratch);
      throw new SavingError(label, `cannot be opened as HDF5 (the file is truncated or corrupt): ${summarizeHdf5Error(error)}.`);
    }
  }

  /** Closes the file. Never throws: the in-memory copy is read-only and dropped either way. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.file.close();
    } catch {
      // A corrupt file may fail to close cleanly; nothing was written, so nothing is lost.
    } finally {
      this.unlink(this.scratch);
    }
  }

  /**
   * Every call into the HDF5 library goes through here: on a corrupt file any of them can fail,
   * and its multi-line library stack becomes one SavingError naming the file and what was read.
   */
  private read<T>(what: string, call: () => T): T {
    try {
      return call();
    } catch (error) {
      throw new SavingError(this.label, `cannot read ${what} (the file is corrupt): ${summarizeHdf5Error(error)}.`);
    }
  }

  private entity(path: string): Entity {
    if (path === '' || path === '/') return this.file;
    return this.read(`'${path}'`, () => this.file.get(path));
  }

  kind(path: string): 'group' | 'dataset' | 'missing' | 'other' {
    const entity = this.entity(path);
    if (entity === null) return 'missing';
    if (isGroup(entity)) return 'group';
    if (isDataset(entity)) return 'dataset';
    return 'other';
  }

  private group(path: string): H5Group {
    const entity = this.entity(path);
    if (entity === null) throw new SavingError(this.label, `missing group '${path}'.`);
    if (!isGroup(entity)) throw new SavingError(this.label, `'${path}' should be a group but is not.`);
    return entity;
  }

  /** Names of a group's members. */
  keys(path: string): string[] {
    const group = this.group(path);
    return this.read(`the members of '${path || '/'}'`, () => group.keys());
  }

  private attributed(path: string): H5Group | H5Dataset {
    const entity = this.entity(path);
    if (entity === null) throw new SavingError(this.label, `missing object '${path}'.`);
    if (!isGroup(entity) && !isDataset(entity)) throw new SavingError(this.label, `'${path}' is neither a group nor a dataset.`);
    return entity;
  }

  attrNames(path: string): string[] {
    const owner = this.attributed(path);
    return this.read(`the attributes of '${path || '/'}'`, () => Object.keys(owner.attrs));
  }

  /** An attribute's value, decoded (strings as strings, numbers as numbers); undefined when absent. */
  attr(path: string, name: string): H5AttrValue | undefined {
    if (!this.attrNames(path).includes(name)) return undefined;
    const owner = this.attributed(path);
    return this.read(`attribute '${name}' of '${path || '/'}'`, () => normalizeAttr(owner.get_attribute(name, false)));
  }

  /** A string attribute (e.g. `model_config`), undefined when absent. */
  stringAttr(path: string, name: string): string | undefined {
    const value = this.attr(path, name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      throw new SavingError(
        this.label,
        `attribute '${name}' of '${path || '/'}' should be a string, got ${JSON.stringify(value)}.`,
      );
    }
    return value;
  }

  /** A JSON-encoded string attribute, parsed; undefined when absent. */
  jsonAttr(path: string, name: string): unknown {
    const text = this.stringAttr(path, name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new SavingError(this.label, `attribute '${name}' of '${path || '/'}' is not valid JSON: ${describeError(error)}.`);
    }
  }

  /**
   * A list-of-strings attribute such as `layer_names` / `weight_names`, joined across Keras's
   * numbered chunks; undefined when neither the attribute nor its chunks exist. An empty list may
   * be stored as an empty float array (what numpy makes of `[]`), which reads as [].
   */
  stringList(path: string, name: string): string[] | undefined {
    const read = (key: string): string[] => {
      const value = this.attr(path, key);
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
      if (Array.isArray(value) && value.length === 0) return [];
      throw new SavingError(
        this.label,
        `attribute '${key}' of '${path || '/'}' should be a list of strings, got ${JSON.stringify(value)}.`,
      );
    };
    const names = this.attrNames(path);
    if (names.includes(name)) return read(name);
    if (!names.includes(`${name}0`)) return undefined;
    const out: string[] = [];
    for (let chunk = 0; names.includes(`${name}${chunk}`); chunk++) out.push(...read(`${name}${chunk}`));
    return out;
  }

  /**
   * Every dataset under a group (and its subgroups), as paths relative to the root, sorted. HDF5
   * lists them in one walk (H5Lvisit) that enters each group once, so links that loop back into
   * their own groups cannot make it run forever.
   */
  datasetPaths(path = ''): string[] {
    const group = this.group(path);
    const below = this.read(`the contents of '${path || '/'}'`, () => group.paths());
    const prefix = path ? `${path.replace(/\/+$/, '')}/` : '';
    return below
      .map((child) => prefix + child)
      .filter((child) => this.kind(child) === 'dataset')
      .sort();
  }

  private datasetEntity(path: string): H5Dataset {
    const entity = this.entity(path);
    if (entity === null) throw new SavingError(this.label, `missing dataset '${path}'.`);
    if (!isDataset(entity)) throw new SavingError(this.label, `'${path}' should be a dataset but is a group.`);
    return entity;
  }

  /**
   * A dataset's shape and element type from its header, refused when the file is too small to
   * hold the values it claims (a corrupt or crafted header would otherwise make the reader
   * allocate whatever it says). Compressed datasets may claim more (see room()).
   */
  datasetInfo(path: string): H5DatasetInfo {
    return this.checkedInfo(this.datasetEntity(path), path);
  }

  private checkedInfo(entity: H5Dataset, path: string): H5DatasetInfo {
    const metadata = this.read(`the header of dataset '${path}'`, () => entity.metadata);
    const compressed = metadata.chunks !== null && this.read(`the filters of dataset '${path}'`, () => entity.filters.length > 0);
    const dtype = numpyName(metadata);
    const shape = metadata.shape ?? [];
    const size = shape.reduce((product, d) => product * d, 1);
    const bytes = size * metadata.size;
    const room = this.room(compressed);
    if (!Number.isSafeInteger(bytes) || bytes > room) {
      throw new SavingError(
        this.label,
        `dataset '${path}' claims shape [${shape.join(', ')}] of ${dtype} (${bytes} bytes), more than the ${this.fileBytes}-byte file can hold (the file is corrupt).`,
      );
    }
    return { shape, dtype, size, bytes, compressed };
  }

  /**
   * The most bytes of values this file can hold: its length, or 100 times it when values pass a
   * compression filter (the ratio zip archives are held to as well).
   */
  room(compressed: boolean): number {
    return compressed ? this.fileBytes * 100 : this.fileBytes;
  }

  /** A dataset's values and shape; an error naming the path when it is missing or unreadable. */
  dataset(path: string): H5Array {
    const entity = this.datasetEntity(path);
    const { shape, dtype } = this.checkedInfo(entity, path);
    if (dtype.startsWith('HDF5 type class')) {
      throw new SavingError(this.label, `dataset '${path}' holds ${dtype}, not numbers.`);
    }
    if (dtype === 'float16') {
      throw new SavingError(this.label, `dataset '${path}' is float16, which this reader does not support; save it as float32.`);
    }
    const value: unknown = this.read(`dataset '${path}'`, () => entity.value);
    let data: H5NumericArray;
    if (typeof value === 'number') data = dtype.startsWith('float') ? Float64Array.of(value) : Int32Array.of(value);
    else if (typeof value === 'bigint') data = dtype === 'uint64' ? BigUint64Array.of(value) : BigInt64Array.of(value);
    else if (typeof value === 'boolean') data = Uint8Array.of(value ? 1 : 0);
    else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) data = value as H5NumericArray;
    else throw new SavingError(this.label, `dataset '${path}' has values of an unexpected kind.`);
    return { shape, dtype, data };
  }
}

/** Opens HDF5 bytes, runs `body`, and always closes the file. */
export async function withH5Reader<T>(bytes: Uint8Array, label: string, body: (reader: H5Reader) => T | Promise<T>): Promise<T> {
  const reader = await H5Reader.fromBytes(bytes, label);
  try {
    return await body(reader);
  } finally {
    reader.close();
  }
}

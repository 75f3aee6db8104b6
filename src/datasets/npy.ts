/**
 * NumPy's `.npy` arrays and `.npz` archives (a zip of .npy files), as Keras's dataset files are
 * written: numeric arrays become Float64Array or Int32Array-compatible numbers, object arrays
 * (imdb / reuters sequences) are read from their pickle with the safe unpickler.
 */
import { ZipArchive } from '../saving/zip/zip-reader.js';
import { type NdArray, unpickle } from './pickle.js';

export interface NpyArray {
  shape: number[];
  descr: string;
  /** Numbers for numeric dtypes, the objects for dtype object. */
  values: Float64Array | unknown[];
}

/** Numbers from raw little/big-endian bytes of a NumPy dtype. */
export function numericValues(raw: Uint8Array, descr: string, what: string): Float64Array {
  const order = descr[0];
  const kind = descr.slice(1);
  const little = order !== '>';
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = Number(kind.slice(1));
  const n = raw.byteLength / size;
  const out = new Float64Array(n);
  const read: Record<string, (i: number) => number> = {
    u1: (i) => view.getUint8(i),
    i1: (i) => view.getInt8(i),
    u2: (i) => view.getUint16(i * 2, little),
    i2: (i) => view.getInt16(i * 2, little),
    u4: (i) => view.getUint32(i * 4, little),
    i4: (i) => view.getInt32(i * 4, little),
    i8: (i) => Number(view.getBigInt64(i * 8, little)),
    u8: (i) => Number(view.getBigUint64(i * 8, little)),
    f4: (i) => view.getFloat32(i * 4, little),
    f8: (i) => view.getFloat64(i * 8, little),
  };
  const get = read[kind];
  if (!get || !Number.isInteger(n)) throw new Error(`${what}: NumPy dtype '${descr}' is not one capa reads.`);
  for (let i = 0; i < n; i++) out[i] = get(i);
  return out;
}

export function parseNpy(bytes: Uint8Array, what: string): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!magic.every((b, i) => bytes[i] === b)) throw new Error(`${what}: not a NumPy .npy array (bad magic).`);
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    throw new Error(`${what}: unreadable .npy header ${JSON.stringify(header)}.`);
  if (fortran === 'True') throw new Error(`${what}: Fortran-ordered arrays are not supported.`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const body = bytes.subarray(start + headerLength);
  if (descr === '|O') {
    const array = unpickle(body, what) as NdArray;
    if (array?.kind !== 'ndarray' || !Array.isArray(array.data))
      throw new Error(`${what}: the object array's pickle holds no NumPy array.`);
    return { shape, descr, values: array.data };
  }
  return { shape, descr, values: numericValues(body, descr, what) };
}

/** The arrays of an .npz archive by name (without `.npy`). */
export function parseNpz(bytes: Uint8Array, what: string): Map<string, NpyArray> {
  const zip = ZipArchive.open(bytes, what);
  const out = new Map<string, NpyArray>();
  for (const name of zip.names()) {
    if (!name.endsWith('.npy')) continue;
    out.set(name.slice(0, -4), parseNpy(zip.read(name), `${what} (${name})`));
  }
  return out;
}

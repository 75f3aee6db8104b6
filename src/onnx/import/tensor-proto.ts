/**
 * TensorProto -> ConstArray, for initializers and Constant attributes. Nothing is allocated on a
 * file's word: the element count the dims declare is checked against the bytes actually present
 * (in the message, or in the side file for external data) before any array is made.
 */
import { type ConstArray, type ConstDType, sizeOfDims } from './const-array.js';
import { toNumber } from './long.js';

/** ONNX TensorProto.DataType codes capa reads: bytes per element and how values are read. */
const DATA_TYPES: Record<number, { name: string; bytes: number; dtype: ConstDType; read: (v: DataView, at: number) => number }> =
  {
    1: { name: 'FLOAT', bytes: 4, dtype: 'float', read: (v, at) => v.getFloat32(at, true) },
    2: { name: 'UINT8', bytes: 1, dtype: 'int', read: (v, at) => v.getUint8(at) },
    3: { name: 'INT8', bytes: 1, dtype: 'int', read: (v, at) => v.getInt8(at) },
    5: { name: 'INT16', bytes: 2, dtype: 'int', read: (v, at) => v.getInt16(at, true) },
    6: { name: 'INT32', bytes: 4, dtype: 'int', read: (v, at) => v.getInt32(at, true) },
    7: { name: 'INT64', bytes: 8, dtype: 'int', read: (v, at) => Number(v.getBigInt64(at, true)) },
    9: { name: 'BOOL', bytes: 1, dtype: 'bool', read: (v, at) => (v.getUint8(at) ? 1 : 0) },
    11: { name: 'DOUBLE', bytes: 8, dtype: 'float', read: (v, at) => v.getFloat64(at, true) },
  };

/** Largest dimension accepted anywhere in a file (2^31 - 1, as most runtimes). */
export const MAX_DIM = 2 ** 31 - 1;

export interface TensorProtoLike {
  name?: string;
  dims?: unknown[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: unknown[];
  double_data?: number[];
  data_location?: number;
  external_data?: { key?: string; value?: string }[];
}

/** Reads the bytes of an external-data tensor from its side file (see external-data.ts). */
export type ExternalReader = (location: string, offset: number, length: number, what: string) => Promise<Uint8Array>;

/** Checked dims of a tensor or a shape: non-negative integers up to MAX_DIM. */
export function checkedDims(dims: readonly unknown[], what: string): number[] {
  return dims.map((d, i) => {
    const n = toNumber(d);
    if (!Number.isInteger(n) || n < 0 || n > MAX_DIM) {
      throw new Error(`${what} declares dimension ${i} = ${String(d)}; dimensions must be integers from 0 to ${MAX_DIM}`);
    }
    return n;
  });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function decodeBytes(bytes: Uint8Array, count: number, type: (typeof DATA_TYPES)[number]): Float64Array {
  if (type.name === 'FLOAT' && LITTLE_ENDIAN) {
    // The common case (weights): one aligned copy, then a native widening, not a DataView read per value.
    const floats = new Float32Array(count);
    new Uint8Array(floats.buffer).set(bytes.subarray(0, count * 4));
    return Float64Array.from(floats);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = type.read(view, i * type.bytes);
  return out;
}

function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/** The tensor's values; `what` names it in errors (e.g. `initializer 'fc.weight'`). */
export async function readTensorProto(t: TensorProtoLike, what: string, external: ExternalReader | null): Promise<ConstArray> {
  if (t.data_location !== 1) return readInlineTensor(t, what);
  const { type, dims, count, needBytes, claim } = describeTensor(t, what);
  const entries = new Map((t.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (!location) throw new Error(`${what} is stored externally but its external_data has no 'location'`);
  const offset = Number(entries.get('offset') ?? '0');
  const length = entries.has('length') ? Number(entries.get('length')) : needBytes;
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new Error(`${what} has an invalid external_data offset '${entries.get('offset')}'`);
  if (length !== needBytes) throw new Error(`${what} ${claim}, but its external_data length is ${entries.get('length')} bytes`);
  if (!external) {
    throw new Error(
      `${what} is stored in the side file '${location}', which cannot be read when loading from bytes; load the model by path`,
    );
  }
  const bytes = await external(location, offset, length, what);
  return { dims, data: decodeBytes(bytes, count, type), dtype: type.dtype };
}

function describeTensor(t: TensorProtoLike, what: string) {
  const code = t.data_type ?? 0;
  const type = DATA_TYPES[code];
  if (!type) {
    const known = Object.values(DATA_TYPES)
      .map((d) => d.name)
      .join(', ');
    throw new Error(`${what} has data_type ${code}, which capa does not read (it reads ${known})`);
  }
  const dims = checkedDims(t.dims ?? [], what);
  // A product of dims up to 2^31 each can pass 2^53; past the bytes any file can hold it is refused anyway.
  const count = sizeOfDims(dims);
  const needBytes = count * type.bytes;
  const claim = `declares ${dims.length ? dims.join('x') : 'a scalar'} ${type.name} = ${formatBytes(needBytes)}`;
  return { code, type, dims, count, needBytes, claim };
}

/** A tensor whose values are inside the message (Constant attributes, small initializers). */
export function readInlineTensor(t: TensorProtoLike, what: string): ConstArray {
  const { code, type, dims, count, needBytes, claim } = describeTensor(t, what);
  if (t.data_location === 1) throw new Error(`${what} is stored in a side file where only inline values are allowed`);
  if (t.raw_data && t.raw_data.length > 0) {
    if (t.raw_data.length !== needBytes)
      throw new Error(`${what} ${claim}, but its raw_data holds ${formatBytes(t.raw_data.length)}`);
    return { dims, data: decodeBytes(t.raw_data, count, type), dtype: type.dtype };
  }
  const typed = code === 1 ? t.float_data : code === 11 ? t.double_data : code === 7 ? t.int64_data : t.int32_data;
  const values = typed ?? [];
  if (values.length !== count) throw new Error(`${what} ${claim}, but the file holds ${values.length} values for it`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = toNumber(values[i]);
  return { dims, data, dtype: type.dtype };
}

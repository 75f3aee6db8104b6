/** Reader for the IDX format of the original MNIST files (big-endian header, then uint8 values). */

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

/** Parses an unsigned-byte IDX file (type code 0x08); `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new Error(`${name}: not an IDX file (bad magic number).`);
  if (bytes[2] !== 0x08)
    throw new Error(`${name}: IDX type code 0x${(bytes[2] as number).toString(16)} is not unsigned byte (0x08).`);
  const rank = bytes[3] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * rank;
  const size = shape.reduce((p, d) => p * d, 1);
  if (bytes.length !== start + size) {
    throw new Error(
      `${name}: expected ${start + size} bytes for shape [${shape.join(', ')}], found ${bytes.length} (truncated or corrupt file).`,
    );
  }
  return { shape, data: bytes.subarray(start) };
}

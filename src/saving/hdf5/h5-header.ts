/**
 * Checks an HDF5 file's superblock before handing it to the HDF5 library, so the common failures
 * (not HDF5 at all, truncated download) get a precise message instead of a library stack.
 */

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function hasSignatureAt(bytes: Uint8Array, at: number): boolean {
  if (at + SIGNATURE.length > bytes.length) return false;
  return SIGNATURE.every((byte, i) => bytes[at + i] === byte);
}

function readAddress(view: DataView, at: number, size: number): number | null {
  if (at + size > view.byteLength) return null;
  if (size === 4) return view.getUint32(at, true);
  if (size === 8) {
    const value = view.getBigUint64(at, true);
    return value === 0xffffffffffffffffn ? null : Number(value);
  }
  return null;
}

/** Why these bytes are not a readable HDF5 file, or null when the superblock looks whole. */
export function hdf5HeaderProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'the file is empty.';
  // The superblock sits at 0, 512, 1024, 2048, ... (a user block may precede it).
  let base = -1;
  for (let at = 0; at < bytes.length; at = at === 0 ? 512 : at * 2) {
    if (hasSignatureAt(bytes, at)) {
      base = at;
      break;
    }
  }
  if (base < 0) return 'not an HDF5 file (its HDF5 signature is missing; the file is corrupt or of another kind).';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (base + 9 > bytes.length) return `the file is truncated (${bytes.length} bytes end inside the HDF5 superblock).`;
  const version = view.getUint8(base + 8);
  let offsetSize: number;
  let eofAt: number;
  if (version === 0 || version === 1) {
    if (base + 16 > bytes.length) return `the file is truncated (${bytes.length} bytes end inside the HDF5 superblock).`;
    offsetSize = view.getUint8(base + 13);
    eofAt = base + (version === 0 ? 24 : 28) + 2 * offsetSize;
  } else if (version === 2 || version === 3) {
    if (base + 12 > bytes.length) return `the file is truncated (${bytes.length} bytes end inside the HDF5 superblock).`;
    offsetSize = view.getUint8(base + 9);
    eofAt = base + 12 + 2 * offsetSize;
  } else {
    return `unknown HDF5 superblock version ${version} (the header is corrupt).`;
  }
  if (offsetSize !== 4 && offsetSize !== 8) return `the HDF5 superblock is corrupt (offset size ${offsetSize}).`;
  const endOfFile = readAddress(view, eofAt, offsetSize);
  if (endOfFile === null) return `the file is truncated (${bytes.length} bytes end inside the HDF5 superblock).`;
  if (base + endOfFile > bytes.length) {
    return `the file is truncated: its HDF5 header says ${base + endOfFile} bytes, but it has ${bytes.length}.`;
  }
  return null;
}

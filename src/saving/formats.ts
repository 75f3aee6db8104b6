/** Which file format a path (and, when reading, its first bytes) means. */

export type ModelFormat = 'keras' | 'h5' | 'tfjs';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format `model.save(path)` writes for this path, or null when the path names none. */
export function saveFormatFor(path: string, isDirectory: boolean): ModelFormat | null {
  const p = path.toLowerCase();
  if (p.endsWith('.keras')) return 'keras';
  if (p.endsWith('.weights.h5')) return null;
  if (p.endsWith('.h5') || p.endsWith('.hdf5')) return 'h5';
  if (p.endsWith('.json') || path.endsWith('/') || path.endsWith('\\') || isDirectory) return 'tfjs';
  return null;
}

/** What the first bytes of a file are. */
export function sniffFormat(bytes: Uint8Array): 'zip' | 'hdf5' | 'json' | 'unknown' {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  if (bytes.length >= 8 && HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) return 'hdf5';
  let i = 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 ||
      bytes[i] === 0x0a ||
      bytes[i] === 0x0d ||
      bytes[i] === 0x09 ||
      bytes[i] === 0xef ||
      bytes[i] === 0xbb ||
      bytes[i] === 0xbf)
  )
    i++;
  if (bytes[i] === 0x7b) return 'json';
  return 'unknown';
}

/** The model format of a file to load: its content when recognizable, else its extension. */
export function loadFormatFor(path: string, bytes: Uint8Array): ModelFormat | null {
  const sniffed = sniffFormat(bytes);
  if (sniffed === 'zip') return 'keras';
  if (sniffed === 'hdf5') return 'h5';
  if (sniffed === 'json') return 'tfjs';
  const p = path.toLowerCase();
  if (p.endsWith('.keras')) return 'keras';
  if (p.endsWith('.h5') || p.endsWith('.hdf5')) return 'h5';
  if (p.endsWith('.json')) return 'tfjs';
  return null;
}

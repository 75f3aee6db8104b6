/**
 * Writes a ZIP archive with fflate. Entries are stored (not deflated), as Keras's own
 * `zipfile.ZipFile(..., "w")` does: weights barely compress and reading stays a plain copy.
 */
import { zipSync } from 'fflate';
import { unsafeEntryNameReason } from './zip-reader.js';

export function writeZip(entries: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const [name, bytes] of entries) {
    const unsafe = unsafeEntryNameReason(name);
    if (unsafe) throw new Error(`writeZip: entry '${name}' has ${unsafe}.`);
    files[name] = [bytes, { level: 0 }];
  }
  return zipSync(files, { level: 0 });
}

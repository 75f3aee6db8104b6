/**
 * External-data tensors (models over 2 GiB keep weights in side files): the location must name a
 * file inside the model's folder (no absolute path, no `..`, no symlink leading out), and the
 * range must lie within that file; both are checked before a byte is read or allocated.
 */
import { nodeModules } from '../../io/node.js';
import type { ExternalReader } from './tensor-proto.js';

export async function externalReaderFor(modelPath: string): Promise<ExternalReader> {
  const { fs, path } = await nodeModules();
  const folder = await fs.realpath(path.dirname(path.resolve(modelPath)));
  return async (location, offset, length, what) => {
    const segments = location.split(/[\\/]/);
    if (path.isAbsolute(location) || /^[a-zA-Z]:/.test(location) || segments.includes('..') || location.includes('\0')) {
      throw new Error(`${what}: external_data location '${location}' must be a relative path inside the model's folder`);
    }
    let real: string;
    try {
      real = await fs.realpath(path.resolve(folder, location));
    } catch {
      throw new Error(`${what}: external_data location '${location}' does not exist next to the model`);
    }
    if (!real.startsWith(folder + path.sep)) {
      throw new Error(`${what}: external_data location '${location}' leads outside the model's folder`);
    }
    const handle = await fs.open(real, 'r');
    try {
      const { size } = await handle.stat();
      if (offset + length > size) {
        throw new Error(
          `${what}: external_data asks for bytes ${offset}..${offset + length} of '${location}', which holds ${size} bytes`,
        );
      }
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(bytes, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`${what}: '${location}' ended early`);
        done += bytesRead;
      }
      return bytes;
    } finally {
      await handle.close();
    }
  };
}

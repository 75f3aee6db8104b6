/**
 * The generic "check before allocating" step every loader runs: a model is rebuilt from a file's
 * config only while each weight its layers create is compared with the arrays the file really
 * holds. A weight larger than the file's largest array, or weights adding up to more than all of
 * them, cannot be loaded from that file, so they are refused before memory is allocated and
 * initialized for them (a 7 KB config with `units: 2e7` would otherwise allocate gigabytes).
 */
import type { WeightAllocationCheck } from '../layers/engine/weight-allocation.js';
import { SavingError } from './errors.js';
import type { H5Reader } from './hdf5/h5-reader.js';

/** The element counts of the arrays a weights file holds (shapes read from headers, no values). */
export type FileArraySizes = readonly number[];

/**
 * The element count of every dataset in an HDF5 file (or under `group`). Each is checked against
 * the file's size, and so is their sum: datasets stored apart cannot add up to more than the
 * file, so a larger sum means links list one dataset many times (or the file is corrupt).
 */
export function h5ArraySizes(reader: H5Reader, group = ''): FileArraySizes {
  const infos = reader.datasetPaths(group).map((path) => reader.datasetInfo(path));
  const bytes = infos.reduce((sum, info) => sum + info.bytes, 0);
  const room = reader.room(infos.some((info) => info.compressed));
  if (bytes > room) {
    throw new SavingError(
      reader.label,
      `its ${infos.length} datasets claim ${bytes} bytes in all, more than the ${reader.fileBytes}-byte file holds (links repeat a dataset, or the file is corrupt).`,
    );
  }
  return infos.map((info) => info.size);
}

function megabytes(values: number): string {
  return `${((values * 4) / 2 ** 20).toFixed(1)} MiB`;
}

/** A check that refuses weights the file cannot hold, naming the layer, the weight and the sizes. */
export function weightsWithinFile(label: string, sizes: FileArraySizes): WeightAllocationCheck {
  const largest = sizes.reduce((max, n) => Math.max(max, n), 0);
  const total = sizes.reduce((sum, n) => sum + n, 0);
  let used = 0;
  return (layer, weight, shape) => {
    const size = shape.reduce((product, d) => product * d, 1);
    const what = `layer '${layer}' weight '${weight}' of shape [${shape.join(', ')}] (${size} values, ${megabytes(size)})`;
    if (size > largest) {
      throw new SavingError(
        label,
        `the config does not match the weights stored with it: ${what} is larger than any array in the file ` +
          `(the largest holds ${largest} values); refusing to allocate it.`,
      );
    }
    used += size;
    if (used > total) {
      throw new SavingError(
        label,
        `the config does not match the weights stored with it: up to ${what}, its weights need ${used} values, ` +
          `more than the ${total} values of all arrays in the file; refusing to allocate them.`,
      );
    }
  };
}

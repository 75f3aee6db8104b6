/**
 * Writes the sample files of test/saving/helpers/samples.ts into a folder, for
 * tools/keras_h5py_check.py to inspect with h5py. Usage: npx tsx tools/keras_write_samples.ts <dir>
 */
import '../src/index.js';
import { join } from 'node:path';
import { SAMPLE_FILES } from '../test/saving/helpers/samples.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx tools/keras_write_samples.ts <output folder>');
for (const sample of SAMPLE_FILES) {
  await sample.write(join(dir, sample.file));
  console.log(`wrote ${sample.file} (${sample.kind})`);
}

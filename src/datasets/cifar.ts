/**
 * CIFAR-10 and CIFAR-100 from the Python-version archives Keras downloads
 * (cifar-10-python.tar.gz, cifar-100-python.tar.gz): pickled batches of uint8 rows [n, 3072]
 * (channels first), turned channels-last as Keras does. float32 images 0..255 [n, 32, 32, 3] and
 * int32 labels [n, 1] (Keras's shape).
 */

import { nodeModules } from '../io/node.js';
import { Tensor } from '../tensor/tensor.js';
import { type DatasetFileOptions, datasetFile } from './dataset-file.js';
import { numericValues } from './npy.js';
import { type NdArray, unpickle } from './pickle.js';
import { readTar } from './tar.js';

export type CifarSplit = [x: Tensor, y: Tensor];

export async function cifarArchive(
  who: string,
  file: string,
  url: string,
  options: DatasetFileOptions,
): Promise<Map<string, Uint8Array>> {
  const { zlib } = await nodeModules();
  const bytes = await datasetFile(who, file, url, options);
  return readTar(new Uint8Array(zlib.gunzipSync(bytes)), file);
}

/** One pickled batch file -> its images (channels last) and the labels under `labelKey`. */
export function cifarBatches(who: string, batches: Uint8Array[], names: string[], labelKey: string): CifarSplit {
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (const [b, bytes] of batches.entries()) {
    const dict = unpickle(bytes, names[b] as string) as Map<string, unknown>;
    const data = dict.get('data') as NdArray | undefined;
    const ys = dict.get(labelKey);
    if (data?.kind !== 'ndarray' || !(data.data instanceof Uint8Array) || !Array.isArray(ys)) {
      throw new Error(`${who}: ${names[b]} is not a CIFAR batch (a dict with 'data' and '${labelKey}').`);
    }
    const rows = numericValues(data.data, data.descr, names[b] as string);
    const n = data.shape[0] as number;
    if (rows.length !== n * 3072 || ys.length !== n)
      throw new Error(`${who}: ${names[b]} holds ${rows.length} values and ${ys.length} labels for ${n} images of 3072.`);
    const out = new Float32Array(n * 3072);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++)
        for (let p = 0; p < 1024; p++) out[i * 3072 + p * 3 + c] = rows[i * 3072 + c * 1024 + p] as number;
    }
    images.push(out);
    for (const y of ys) labels.push(y as number);
  }
  const x = new Float32Array(labels.length * 3072);
  let at = 0;
  for (const part of images) {
    x.set(part, at);
    at += part.length;
  }
  return [new Tensor(x, [labels.length, 32, 32, 3]), new Tensor(Int32Array.from(labels), [labels.length, 1])];
}

export function member(archive: Map<string, Uint8Array>, name: string, who: string, file: string): Uint8Array {
  const bytes = archive.get(name);
  if (!bytes) throw new Error(`${who}: ${file} has no member '${name}'.`);
  return bytes;
}

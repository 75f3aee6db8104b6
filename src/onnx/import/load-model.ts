/** `capa.onnx.loadModel(path)` and `loadModelFromBytes(bytes)`: an ONNX file as a capa Model. */
import { errorMessage, nodeModules } from '../../io/node.js';
import type { Model } from '../../models/functional.js';
import { type ImportOptions, modelFromOnnxBytes } from './convert.js';
import { OnnxImportError } from './errors.js';
import { externalReaderFor } from './external-data.js';

/** Protobuf messages are limited to 2 GiB; bigger ONNX models keep their weights in side files. */
const MAX_MODEL_FILE_BYTES = 2 ** 31;

export async function loadModel(path: string, options: ImportOptions = {}): Promise<Model> {
  if (typeof path !== 'string' || path === '')
    throw new TypeError(`onnx.loadModel: expected a file path, received ${String(path)}`);
  const { fs } = await nodeModules();
  let bytes: Uint8Array;
  try {
    const { size } = await fs.stat(path);
    if (size > MAX_MODEL_FILE_BYTES) {
      throw new Error(
        `the file is ${size} bytes, over the 2 GiB protobuf limit; ONNX models this big keep their weights in external data files`,
      );
    }
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new OnnxImportError(path, errorMessage(error));
  }
  return modelFromOnnxBytes(bytes, path, await externalReaderFor(path), options);
}

/** From the bytes of a `.onnx` file; tensors in external data files need loadModel(path). */
export async function loadModelFromBytes(bytes: Uint8Array, options: ImportOptions = {}): Promise<Model> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('onnx.loadModelFromBytes: expected a Uint8Array');
  return modelFromOnnxBytes(bytes, '<bytes>', null, options);
}

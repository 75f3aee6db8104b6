/**
 * `capa.onnx.exportModel` / `exportModelToBytes`: a built Sequential or functional model as an
 * ONNX file that ONNX Runtime (or any ONNX consumer) loads. Files are written atomically.
 */
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { Layer } from '../../layers/engine/layer.js';
import { type ExportOptions, modelToOnnxBytes } from './export-graph.js';

export type { ExportOptions } from './export-graph.js';

/** The `.onnx` bytes of a model. */
export async function exportModelToBytes(model: Layer, options: ExportOptions = {}): Promise<Uint8Array> {
  return modelToOnnxBytes(model, options);
}

/**
 * Writes the model to `path` as ONNX, or with `{ bytes: true }` returns the bytes instead
 * (API.md's `exportModel(model, path | { bytes: true }, { opset })`).
 */
export async function exportModel(model: Layer, path: string, options?: ExportOptions): Promise<undefined>;
export async function exportModel(model: Layer, target: { bytes: true }, options?: ExportOptions): Promise<Uint8Array>;
export async function exportModel(
  model: Layer,
  target: string | { bytes: true },
  options: ExportOptions = {},
): Promise<Uint8Array | undefined> {
  if (typeof target === 'object' && target !== null && target.bytes === true) return modelToOnnxBytes(model, options);
  if (typeof target !== 'string' || target.length === 0) {
    throw new Error(`exportModel: pass a file path (e.g. 'model.onnx') or { bytes: true }, received ${JSON.stringify(target)}.`);
  }
  await writeFileAtomic(target, await modelToOnnxBytes(model, options));
  return undefined;
}

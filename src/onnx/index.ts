/** `capa.onnx`: ONNX export (and, from the importer, loading). */
export type { ImportOptions } from './import/convert.js';
export { OnnxImportError } from './import/errors.js';
export { loadModel, loadModelFromBytes } from './import/load-model.js';

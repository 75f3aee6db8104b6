/** `capa.onnx`: ONNX export and import. */
export { type ExportOptions, exportModel, exportModelToBytes } from './export/export-model.js';
export type { ImportOptions } from './import/convert.js';
export { OnnxImportError } from './import/errors.js';
export { loadModel, loadModelFromBytes } from './import/load-model.js';

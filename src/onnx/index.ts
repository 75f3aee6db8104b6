/** `capa.onnx`: ONNX export (and, from the importer, loading). */
export { type ExportOptions, exportModel, exportModelToBytes } from './export/export-model.js';

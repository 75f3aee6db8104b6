/**
 * The error every ONNX import failure raises: it names the file (or `<bytes>`) and, where there is
 * one, the field, node or tensor inside it, so a user can tell a corrupt download from a graph
 * that uses an op capa does not have.
 */
export class OnnxImportError extends Error {
  /** The model file the failure is about (`<bytes>` for loadModelFromBytes). */
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'OnnxImportError';
    this.file = file;
  }
}

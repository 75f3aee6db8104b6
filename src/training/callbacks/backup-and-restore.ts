/**
 * BackupAndRestore (Keras 3): backs up the training state (model weights, optimizer state, the
 * epoch reached) every epoch or every N batches; when fit starts and a backup exists, it restores
 * it and training continues from the epoch after the last finished one. The state is one file,
 * `latest.state` in backupDir (written to a temporary file and renamed, so a crash mid-write
 * leaves the previous backup intact), plus Keras's `training_metadata.json` ({epoch, batch}).
 */
import type { DType } from '../../tensor/dtype.js';
import { Tensor, type Variable } from '../../tensor/tensor.js';
import { fileExists, joinPath, readBinaryFile, removePath, writeFileAtomic } from '../files.js';
import { Callback, type CallbackModel } from './callback.js';

export interface BackupAndRestoreOptions {
  /** 'epoch', or back up every this many batches. */
  saveFreq?: 'epoch' | number;
  /** Remove the backup when training finishes normally (default true). */
  deleteCheckpoint?: boolean;
}

const MAGIC = 'CAPABKP1';

interface StateHeader {
  version: 1;
  epoch: number;
  batch: number;
  model: { shape: number[]; dtype: DType }[];
  optimizer: { shape: number[]; dtype: DType }[];
}

/** Serializes tensors behind a JSON header: MAGIC, header length (u32 LE), header, padding to 4 bytes, raw values. */
export function encodeState(header: Omit<StateHeader, 'model' | 'optimizer'>, model: Tensor[], optimizer: Tensor[]): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error('BackupAndRestore: big-endian machines are not supported.');
  const describe = (ts: Tensor[]) => ts.map((t) => ({ shape: t.shape, dtype: t.dtype }));
  const json = new TextEncoder().encode(JSON.stringify({ ...header, model: describe(model), optimizer: describe(optimizer) }));
  const headerEnd = 12 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const all = [...model, ...optimizer];
  const total = dataStart + all.reduce((s, t) => s + t.size * 4, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  let offset = dataStart;
  for (const t of all) {
    const v = t.dataSync();
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset);
    offset += v.byteLength;
  }
  return out;
}

type TensorSpec = { shape: number[]; dtype: DType };

/** Why a header's tensor list is malformed, or null when every entry is {shape: sizes, dtype}. */
function specsProblem(specs: unknown, list: string): string | null {
  if (!Array.isArray(specs)) return `its header has no '${list}' list`;
  for (const [i, spec] of specs.entries()) {
    const { shape, dtype } = (spec ?? {}) as Partial<TensorSpec>;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      return `${list} weight #${i} has an invalid shape ${JSON.stringify(shape)}`;
    }
    if (dtype !== 'float32' && dtype !== 'int32') return `${list} weight #${i} has an unknown dtype ${JSON.stringify(dtype)}`;
  }
  return null;
}

/**
 * Reads a state written by `encodeState`. Everything the header claims is checked against the
 * file's length before any tensor is allocated, so a truncated or corrupt backup is refused with
 * a message naming `file` and the weight that does not fit (Keras's BackupAndRestore also fails
 * rather than silently starting over).
 */
export function decodeState(
  bytes: Uint8Array,
  file = 'the backup file',
): { header: StateHeader; model: Tensor[]; optimizer: Tensor[] } {
  const corrupt = (why: string) =>
    new Error(`BackupAndRestore: ${file} is truncated or corrupt: ${why}. Delete it to start training from scratch.`);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    throw new Error(`BackupAndRestore: ${file} is not a capa training state.`);
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (12 + length > bytes.length) throw corrupt(`its ${length}-byte header runs past the end of the ${bytes.length}-byte file`);
  let header: StateHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as StateHeader;
  } catch (error) {
    throw corrupt(`its header is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (header === null || typeof header !== 'object') throw corrupt('its header is not an object');
  if (!Number.isSafeInteger(header.epoch) || header.epoch < 0)
    throw corrupt(`its header has an invalid epoch ${JSON.stringify(header.epoch)}`);
  const problem = specsProblem(header.model, 'model') ?? specsProblem(header.optimizer, 'optimizer');
  if (problem) throw corrupt(problem);
  let offset = Math.ceil((12 + length) / 4) * 4;
  const layout = [
    ...header.model.map((spec, i) => ({ spec, what: `model weight #${i}` })),
    ...header.optimizer.map((spec, i) => ({ spec, what: `optimizer weight #${i}` })),
  ].map(({ spec, what }) => {
    const byteLength = spec.shape.reduce((p, d) => p * d, 1) * 4;
    const at = offset;
    offset += byteLength;
    if (offset > bytes.length) {
      throw corrupt(
        `${what} of shape [${spec.shape.join(', ')}] needs bytes ${at}..${offset}, but the file ends at ${bytes.length}`,
      );
    }
    return { spec, at, byteLength };
  });
  if (offset !== bytes.length) throw corrupt(`${bytes.length - offset} bytes follow the last weight`);
  const tensors = layout.map(({ spec, at, byteLength }) => {
    const raw = bytes.slice(at, at + byteLength);
    return new Tensor(spec.dtype === 'int32' ? new Int32Array(raw.buffer) : new Float32Array(raw.buffer), spec.shape);
  });
  return { header, model: tensors.slice(0, header.model.length), optimizer: tensors.slice(header.model.length) };
}

/** A backup made for another model is refused with the first weight that differs, by name. */
function checkStateFitsModel(weights: readonly Tensor[], model: CallbackModel, file: string): void {
  const variables = (model as CallbackModel & { weights?: readonly Variable[] }).weights;
  if (!variables) return;
  const mismatch = (why: string) => new Error(`BackupAndRestore: ${file} was saved from a different model: ${why}.`);
  if (variables.length !== weights.length) {
    throw mismatch(`it holds ${weights.length} weights, the model has ${variables.length}`);
  }
  variables.forEach((variable, i) => {
    const saved = weights[i]!.shape;
    if (saved.length !== variable.shape.length || saved.some((d, k) => d !== variable.shape[k])) {
      throw mismatch(
        `weight ${variable.name} expects shape [${variable.shape.join(', ')}], the backup has [${saved.join(', ')}]`,
      );
    }
  });
}

export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private currentEpoch = 0;

  constructor(backupDir: string, options: BackupAndRestoreOptions = {}) {
    super();
    if (!backupDir) throw new Error('BackupAndRestore: empty backupDir argument passed.');
    this.backupDir = backupDir;
    this.saveFreq = options.saveFreq ?? 'epoch';
    this.deleteCheckpoint = options.deleteCheckpoint ?? true;
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(
        `Invalid value for argument saveFreq. Received: saveFreq=${this.saveFreq}. Expected either 'epoch' or an integer value.`,
      );
    }
  }

  private async statePath(): Promise<string> {
    return joinPath(this.backupDir, 'latest.state');
  }

  override async onTrainBegin(): Promise<void> {
    const model = this.requireModel();
    const file = await this.statePath();
    this.currentEpoch = 0;
    this.lastBatchSeen = 0;
    this.batchesSinceSave = 0;
    if (!(await fileExists(file))) return;
    const { header, model: weights, optimizer } = decodeState(await readBinaryFile(file), file);
    checkStateFitsModel(weights, model, file);
    model.setWeights(weights);
    if (model.optimizer && optimizer.length > 0) {
      const trainable = (model as CallbackModel & { trainableWeights?: readonly Variable[] }).trainableWeights;
      if (trainable) model.optimizer.build(trainable);
      model.optimizer.setWeights(optimizer);
    }
    this.currentEpoch = header.epoch;
    model.resumeEpoch = header.epoch;
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    this.currentEpoch = epoch + 1;
    this.lastBatchSeen = 0;
    if (this.saveFreq === 'epoch') await this.backup();
  }

  override async onTrainBatchEnd(batch: number): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.backup();
    }
  }

  private async backup(): Promise<void> {
    const model = this.requireModel();
    const header = { version: 1 as const, epoch: this.currentEpoch, batch: this.lastBatchSeen };
    const bytes = encodeState(header, model.getWeights(), model.optimizer?.getWeights() ?? []);
    await writeFileAtomic(await this.statePath(), bytes);
    await writeFileAtomic(
      await joinPath(this.backupDir, 'training_metadata.json'),
      JSON.stringify({ epoch: header.epoch, batch: header.batch }),
    );
  }

  override async onTrainEnd(): Promise<void> {
    const model = this.requireModel();
    model.resumeEpoch = null;
    if (this.deleteCheckpoint) await removePath(this.backupDir);
  }
}

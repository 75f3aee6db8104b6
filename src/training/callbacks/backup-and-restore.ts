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

export function decodeState(bytes: Uint8Array): { header: StateHeader; model: Tensor[]; optimizer: Tensor[] } {
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    throw new Error('BackupAndRestore: the backup file is not a capa training state.');
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as StateHeader;
  let offset = Math.ceil((12 + length) / 4) * 4;
  const read = (specs: { shape: number[]; dtype: DType }[]) =>
    specs.map(({ shape, dtype }) => {
      const size = shape.reduce((p, d) => p * d, 1);
      const raw = bytes.slice(offset, offset + size * 4);
      offset += size * 4;
      return new Tensor(dtype === 'int32' ? new Int32Array(raw.buffer) : new Float32Array(raw.buffer), shape);
    });
  return { header, model: read(header.model), optimizer: read(header.optimizer) };
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
    const { header, model: weights, optimizer } = decodeState(await readBinaryFile(file));
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

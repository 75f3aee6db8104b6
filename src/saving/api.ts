/**
 * The public saving API: `model.save(path)`, `models.loadModel(path)`, `model.saveWeights(path)`
 * and `model.loadWeights(path, { byName, skipMismatch })`, choosing the format as Keras does
 * (by extension; when reading, by the file's content first). Bytes-level twins
 * (`saveModelToBytes` / `loadModelFromBytes`) work without a filesystem.
 */
import type { LayerClass } from '../layers/engine/layer.js';
import type { Model } from '../models/functional.js';
import { compileStateOf } from './compile-state.js';
import { SavingError } from './errors.js';
import { loadFormatFor, type ModelFormat, saveFormatFor, sniffFormat } from './formats.js';
import { withH5Reader } from './hdf5/h5-reader.js';
import { buildH5 } from './hdf5/h5-writer.js';
import { nodeModules, pathKind, readFileBytes, writeFileAtomic } from './io/node-fs.js';
import { kerasArchiveBytes, loadKerasArchiveWeights, modelFromKerasArchive } from './keras3/keras-archive.js';
import { readKeras3Weights, writeKeras3Weights } from './keras3/weights-store.js';
import { legacyModelBytes, modelFromLegacyH5 } from './legacy/legacy-model.js';
import { legacyWeightsGroup, readLegacyWeights, writeLegacyWeights } from './legacy/legacy-weights.js';
import { MODEL_JSON_MAX_BYTES, saveTfjsFolder, tfjsFolderShards } from './tfjs/tfjs-folder.js';
import { modelFromTfjs } from './tfjs/tfjs-model.js';
import type { TfjsQuantizationDType } from './tfjs/weights-codec.js';
import { webLocation } from './web/location.js';
import { loadModelFromFiles, loadModelFromWeb, saveModelToWeb } from './web/web-models.js';
import type { ZipLimits } from './zip/zip-reader.js';

export interface SaveOptions {
  /** Replace an existing file (default true, as in Keras); false makes an existing target an error. */
  overwrite?: boolean;
  /** TensorFlow.js format only: quantize float weights (tfjs-converter's --quantize_uint8/uint16/float16). */
  quantization?: TfjsQuantizationDType;
  /** TensorFlow.js format only: largest weight shard in bytes (tfjs-converter's `weight_shard_size_bytes`, default 4 MiB). */
  weightShardSizeBytes?: number;
}

export interface LoadModelOptions {
  /** Classes for class names the registry does not know (Keras's `custom_objects`). */
  customObjects?: Readonly<Record<string, LayerClass>>;
  /** Compile the model from its saved training settings when the file has them. Default true. */
  compile?: boolean;
  /** Refuse configs that carry code (Lambda layers). Default true. */
  safeMode?: boolean;
  /** Limits on `.keras` archives (entries, sizes). */
  zipLimits?: Partial<ZipLimits>;
}

export interface LoadWeightsOptions {
  /** Keras 2 `.h5` weights only: match layers by name instead of by position. */
  byName?: boolean;
  /** Skip (with a warning) layers whose weights do not fit instead of failing. */
  skipMismatch?: boolean;
}

const FORMAT_HELP =
  "Use a '.keras' extension for the Keras 3 format (recommended), '.h5' for the legacy Keras 2 HDF5 format, " +
  "or a folder (ending in '/') or a 'model.json' path for the TensorFlow.js layers format.";

async function checkOverwrite(path: string, options: SaveOptions): Promise<void> {
  if (options.overwrite === false && (await pathKind(path)) !== 'missing') {
    throw new SavingError(path, 'already exists and overwrite is false.');
  }
}

/** The bytes of a model in the Keras 3 (`.keras`) or legacy HDF5 (`.h5`) format. */
export async function saveModelToBytes(model: Model, format: 'keras' | 'h5'): Promise<Uint8Array> {
  return format === 'keras' ? kerasArchiveBytes(model) : legacyModelBytes(model);
}

/** Rebuilds a model from `.keras` or `.h5` bytes (recognized by content). */
export async function loadModelFromBytes(bytes: Uint8Array, options: LoadModelOptions & { label?: string } = {}): Promise<Model> {
  const label = options.label ?? '<bytes>';
  const kind = sniffFormat(bytes);
  if (kind === 'zip') return modelFromKerasArchive(bytes, label, options);
  if (kind === 'hdf5') return modelFromLegacyH5(bytes, label, options);
  throw new SavingError(
    label,
    'is neither a .keras archive (ZIP) nor a Keras HDF5 file; the bytes are truncated or of another kind.',
  );
}

/** Saves the whole model: architecture, weights and (when compiled) training settings. */
export async function saveModel(model: Model, path: string, options: SaveOptions = {}): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new Error('model.save: expected a file path.');
  const web = webLocation(path, 'model.save');
  if (web) return saveModelToWeb(model, web);
  if (!model.built || model.layers.some((layer) => !layer.built)) {
    console.warn(
      `You are saving model "${model.name}", which has not yet been built; it might not contain any weights yet. ` +
        'Consider building the model first by calling it on some data.',
    );
  }
  const kind = await pathKind(path);
  const format = saveFormatFor(path, kind === 'directory');
  if (format === null) {
    const weightsHint = path.toLowerCase().endsWith('.weights.h5') ? " A '.weights.h5' path is for model.saveWeights()." : '';
    throw new SavingError(path, `invalid filepath extension for saving.${weightsHint} ${FORMAT_HELP}`);
  }
  if (format === 'tfjs') {
    const { path: p } = await nodeModules();
    const isJson = path.toLowerCase().endsWith('.json');
    const dir = isJson ? p.dirname(path) : path;
    const jsonPath = isJson ? path : p.join(path, 'model.json');
    await checkOverwrite(jsonPath, options);
    const shardBytes = options.weightShardSizeBytes;
    if (shardBytes !== undefined && !(Number.isSafeInteger(shardBytes) && shardBytes > 0))
      throw new SavingError(path, `'weightShardSizeBytes' must be a positive whole number of bytes, got ${shardBytes}.`);
    await saveTfjsFolder(model, dir, jsonPath, {
      quantization: options.quantization ?? null,
      shardBytes,
    });
    return;
  }
  if (options.quantization) throw new SavingError(path, `'quantization' applies to the TensorFlow.js format only.`);
  await checkOverwrite(path, options);
  await writeFileAtomic(path, await saveModelToBytes(model, format));
}

/** Where `loadModel` reads from: a path or URL, a `File`/`Blob`, or a model.json File with its weight files. */
export type ModelSource = string | Blob | readonly Blob[];

/**
 * Loads a model saved by capa, Keras (`.keras`, `.h5`) or TensorFlow.js (`model.json` or its
 * folder), from a file path (Node), a URL (`fetch`), `indexeddb://name`, or `File`/`Blob` objects.
 */
export async function loadModel(path: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  if (isBlob(path)) return loadModelFromFiles([path], options);
  if (Array.isArray(path) && path.every(isBlob)) return loadModelFromFiles(path, options);
  if (typeof path !== 'string' || path.length === 0)
    throw new Error(`loadModel: expected a file path, a URL or a File, received ${describeSource(path)}.`);
  const web = webLocation(path, 'loadModel');
  if (web) return loadModelFromWeb(web, options);
  const { path: p } = await nodeModules();
  const kind = await pathKind(path);
  if (kind === 'missing') throw new SavingError(path, 'no such file or folder.');
  const file = kind === 'directory' ? p.join(path, 'model.json') : path;
  const bytes = await readFileBytes(file, file.toLowerCase().endsWith('.json') ? MODEL_JSON_MAX_BYTES : undefined);
  const format: ModelFormat | null = loadFormatFor(file, bytes);
  if (format === 'keras') return modelFromKerasArchive(bytes, file, options);
  if (format === 'h5') return modelFromLegacyH5(bytes, file, options);
  if (format === 'tfjs') {
    return modelFromTfjs(bytes, await tfjsFolderShards(p.dirname(file), file), file, options);
  }
  throw new SavingError(file, `is not a model file capa recognizes. ${FORMAT_HELP}`);
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

function describeSource(value: unknown): string {
  if (Array.isArray(value)) return 'an array that is not all Files/Blobs';
  return value === null ? 'null' : typeof value === 'string' ? 'an empty string' : typeof value;
}

/**
 * Saves the weights only: `.weights.h5` in Keras 3's layout (with the optimizer's state when the
 * model is compiled, as Keras does), `.h5` in Keras 2's layout.
 */
export async function saveWeights(model: Model, path: string, options: SaveOptions = {}): Promise<void> {
  const lower = path.toLowerCase();
  if (!lower.endsWith('.h5') && !lower.endsWith('.hdf5')) {
    throw new SavingError(path, "the filename must end in '.weights.h5' (Keras 3 weights) or '.h5' (Keras 2 weights).");
  }
  await checkOverwrite(path, options);
  const bytes = await buildH5((writer) => {
    if (lower.endsWith('.weights.h5')) writeKeras3Weights(writer, model, compileStateOf(model)?.optimizer ?? null);
    else writeLegacyWeights(writer, '', model);
  });
  await writeFileAtomic(path, bytes);
}

/**
 * Loads weights saved by `saveWeights` / Keras (`.weights.h5`, Keras 2 `.h5` weights or whole-model
 * files, `.keras`). Keras 2 files load by position, or by name with `byName`. The model is left
 * unchanged when the file does not fit it.
 */
export async function loadWeights(model: Model, path: string, options: LoadWeightsOptions = {}): Promise<void> {
  const bytes = await readFileBytes(path);
  const kind = sniffFormat(bytes);
  if (kind === 'zip' || (kind === 'unknown' && path.toLowerCase().endsWith('.keras'))) {
    if (options.byName) throw new SavingError(path, "'byName' applies to Keras 2 '.h5' weights files, not to '.keras' archives.");
    return loadKerasArchiveWeights(model, bytes, path, options);
  }
  await withH5Reader(bytes, path, (reader) => {
    const legacyGroup = legacyWeightsGroup(reader);
    if (legacyGroup !== null) return readLegacyWeights(reader, legacyGroup, model, options);
    if (options.byName)
      throw new SavingError(path, "'byName' applies to Keras 2 '.h5' weights files; this file uses Keras 3's layout.");
    return readKeras3Weights(reader, model, {
      skipMismatch: options.skipMismatch,
      optimizer: compileStateOf(model)?.optimizer ?? null,
      trainableVariables: model.trainableWeights,
    });
  });
}

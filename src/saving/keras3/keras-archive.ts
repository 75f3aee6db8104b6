/**
 * Keras 3's `.keras` archive (keras/src/saving/saving_lib.py): a ZIP holding
 *   metadata.json     {"keras_version", "date_saved"}
 *   config.json       the model serialized Keras 3's way ({module, class_name, config,
 *                     registered_name, build_config, compile_config})
 *   model.weights.h5  the variable store (see weights-store.ts), optimizer state included
 *   assets/...        files of layers that keep some (vocabularies; see assets.ts)
 * Keras writes the entries stored (uncompressed); so does capa.
 */
import type { ConfigDict } from '../../layers/engine/config.js';
import { serializeLayer } from '../../layers/serialization.js';
import type { Model } from '../../models/functional.js';
import { type CompileState, compileStateOf, restoreCompileState } from '../compile-state.js';
import { type DeserializeOptions, deserializeModel } from '../deserialize.js';
import { describeError, SavingError } from '../errors.js';
import { h5ArraySizes } from '../file-arrays.js';
import { withH5Reader } from '../hdf5/h5-reader.js';
import { buildH5 } from '../hdf5/h5-writer.js';
import { CAPA_VERSION } from '../version.js';
import { ZipArchive, type ZipLimits } from '../zip/zip-reader.js';
import { writeZip } from '../zip/zip-writer.js';
import { loadModelAssets, modelAssetEntries } from './assets.js';
import { type OptimizerStateHolder, readKeras3Weights, writeKeras3Weights } from './weights-store.js';

/**
 * The Keras release whose `.keras` layout capa writes (metadata only; Keras does not check it).
 * Configs carry InputLayer's `optional` and DTypePolicy objects, which recent Keras 3 releases read.
 */
export const KERAS3_FORMAT_VERSION = '3.6.0';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function dateSaved(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

/** The `.keras` bytes for a model (with its compile config and optimizer state when compiled). */
export async function kerasArchiveBytes(model: Model): Promise<Uint8Array> {
  const compiled: CompileState | null = compileStateOf(model);
  const config: ConfigDict = { ...serializeLayer(model, 'keras3') };
  if (compiled?.compileConfig) config.compile_config = compiled.compileConfig;
  const metadata = {
    keras_version: KERAS3_FORMAT_VERSION,
    date_saved: dateSaved(new Date()),
    generated_by: `capa ${CAPA_VERSION}`,
  };
  const weights = await buildH5((writer) => writeKeras3Weights(writer, model, compiled?.optimizer ?? null));
  return writeZip(
    new Map([
      ['metadata.json', encoder.encode(JSON.stringify(metadata))],
      ['config.json', encoder.encode(JSON.stringify(config))],
      ['model.weights.h5', weights],
      ...modelAssetEntries(model),
    ]),
  );
}

export interface KerasArchiveLoadOptions extends DeserializeOptions {
  /** Compile the model from its saved compile config (and restore the optimizer). Default true. */
  compile?: boolean;
  zipLimits?: Partial<ZipLimits>;
}

function parseJsonEntry(zip: ZipArchive, name: string, label: string): unknown {
  const text = decoder.decode(zip.read(name, { maxBytes: zip.limits.maxJsonEntryBytes }));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SavingError(label, `${name} in the archive is not valid JSON: ${describeError(error)}.`);
  }
}

/** Rebuilds a model from `.keras` bytes: config, weights, and (when compiled) optimizer state. */
export async function modelFromKerasArchive(
  bytes: Uint8Array,
  label: string,
  options: KerasArchiveLoadOptions = {},
): Promise<Model> {
  const zip = ZipArchive.open(bytes, label, options.zipLimits);
  if (!zip.has('config.json'))
    throw new SavingError(label, `not a Keras model archive: it has no config.json (entries: ${zip.names().join(', ')}).`);
  const config = parseJsonEntry(zip, 'config.json', label) as Record<string, unknown>;
  if (zip.has('model.weights.npz') && !zip.has('model.weights.h5')) {
    throw new SavingError(
      label,
      'the archive stores its weights as model.weights.npz; capa reads the default model.weights.h5 only.',
    );
  }
  if (!zip.has('model.weights.h5')) throw new SavingError(label, 'the archive has no model.weights.h5.');
  const weightsBytes = zip.read('model.weights.h5');
  return withH5Reader(weightsBytes, `${label} (model.weights.h5)`, (reader) => {
    const model = deserializeModel(config, label, options, h5ArraySizes(reader));
    let optimizer: OptimizerStateHolder | null = null;
    if ((options.compile ?? true) && config.compile_config && typeof config.compile_config === 'object') {
      optimizer = restoreCompileState(model, config.compile_config as ConfigDict, label);
    }
    readKeras3Weights(reader, model, { optimizer, trainableVariables: model.trainableWeights });
    loadModelAssets(model, zip);
    return model;
  });
}

/** Reads a `.keras` archive's weights into an existing model (Keras's `load_weights('x.keras')`). */
export async function loadKerasArchiveWeights(
  model: Model,
  bytes: Uint8Array,
  label: string,
  options: { skipMismatch?: boolean; zipLimits?: Partial<ZipLimits> } = {},
): Promise<void> {
  const zip = ZipArchive.open(bytes, label, options.zipLimits);
  const weightsBytes = zip.read('model.weights.h5');
  const optimizer = compileStateOf(model)?.optimizer ?? null;
  await withH5Reader(weightsBytes, `${label} (model.weights.h5)`, (reader) =>
    readKeras3Weights(reader, model, {
      skipMismatch: options.skipMismatch,
      optimizer,
      trainableVariables: model.trainableWeights,
    }),
  );
}

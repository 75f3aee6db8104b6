/**
 * Loading and saving models outside the filesystem: URLs (fetch), `File`/`Blob` objects (file
 * inputs, drag and drop), `indexeddb://` and `downloads://`. Every format `loadModel` reads from
 * a file path reads here too: `.keras`, `.h5`, and TensorFlow.js `model.json` with its shards
 * (fetched beside the URL, or given as Files next to the model.json File).
 */
import type { Model } from '../../models/functional.js';
import type { LoadModelOptions } from '../api.js';
import { SavingError } from '../errors.js';
import { loadFormatFor } from '../formats.js';
import { kerasArchiveBytes, modelFromKerasArchive } from '../keras3/keras-archive.js';
import { legacyModelBytes, modelFromLegacyH5 } from '../legacy/legacy-model.js';
import type { ShardReader } from '../tfjs/shards.js';
import { shardReaderFromBytes } from '../tfjs/shards.js';
import { MODEL_JSON_MAX_BYTES } from '../tfjs/tfjs-folder.js';
import { modelFromTfjs } from '../tfjs/tfjs-model.js';
import { downloadTarget, triggerDownload } from './downloads.js';
import { fetchBytes } from './fetch-bytes.js';
import { readFromIndexedDb, saveToIndexedDb } from './indexeddb.js';
import type { WebLocation } from './location.js';

const NOT_A_MODEL = 'is not a model file capa recognizes (a .keras archive, a Keras .h5 file or a TensorFlow.js model.json).';

async function modelFromBytes(
  bytes: Uint8Array,
  label: string,
  shards: () => ShardReader,
  options: LoadModelOptions,
): Promise<Model> {
  const format = loadFormatFor(label, bytes);
  if (format === 'keras') return modelFromKerasArchive(bytes, label, options);
  if (format === 'h5') return modelFromLegacyH5(bytes, label, options);
  if (format === 'tfjs') return modelFromTfjs(bytes, shards(), label, options);
  throw new SavingError(label, NOT_A_MODEL);
}

/** Loads from a URL, IndexedDB entry (downloads:// cannot be read). */
export async function loadModelFromWeb(location: WebLocation, options: LoadModelOptions): Promise<Model> {
  if (location.kind === 'indexeddb') {
    const label = `indexeddb://${location.name}`;
    return modelFromKerasArchive(await readFromIndexedDb(location.name), label, options);
  }
  if (location.kind === 'downloads') {
    throw new SavingError(
      `downloads://${location.name}`,
      'downloads:// is for saving; load the downloaded file with a file input (a File) instead.',
    );
  }
  const { url } = location;
  const isJson = new URL(url, baseUrl()).pathname.toLowerCase().endsWith('.json');
  const bytes = await fetchBytes(url, isJson ? MODEL_JSON_MAX_BYTES : undefined);
  return modelFromBytes(
    bytes,
    url,
    () => shardReaderFromBytes((shard) => fetchBytes(new URL(shard, new URL(url, baseUrl())).href)),
    options,
  );
}

/** The page's address in a browser (relative URLs resolve against it); a placeholder base elsewhere. */
function baseUrl(): string {
  return (globalThis as { location?: { href?: string } }).location?.href ?? 'file:///';
}

/** Saves to IndexedDB or as a download. */
export async function saveModelToWeb(model: Model, location: WebLocation): Promise<void> {
  if (location.kind === 'indexeddb') return saveToIndexedDb(location.name, await kerasArchiveBytes(model));
  if (location.kind === 'downloads') {
    const { fileName, format } = downloadTarget(location.name);
    return triggerDownload(fileName, format === 'h5' ? await legacyModelBytes(model) : await kerasArchiveBytes(model));
  }
  throw new SavingError(
    location.url,
    "cannot save to a URL; use 'indexeddb://name' or 'downloads://name' in a browser, or a file path in Node.",
  );
}

function fileName(blob: Blob, fallback: string): string {
  const name = (blob as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : fallback;
}

/**
 * Loads from `File`/`Blob` objects: one file (`.keras`, `.h5`), or a TensorFlow.js `model.json`
 * File together with its weight files (matched by the names the manifest lists).
 */
export async function loadModelFromFiles(files: readonly Blob[], options: LoadModelOptions): Promise<Model> {
  if (files.length === 0)
    throw new Error('loadModel: expected a File (or a model.json File with its weight files), received none.');
  const named = files.map((blob, i) => ({ blob, name: fileName(blob, `<Blob ${i}>`) }));
  const main = named.length === 1 ? named[0] : named.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (!main)
    throw new Error(`loadModel: among ${named.length} files (${named.map((f) => f.name).join(', ')}) none is a model.json.`);
  const bytes = new Uint8Array(await main.blob.arrayBuffer());
  const shards = () =>
    shardReaderFromBytes(async (shard) => {
      const base = shard.slice(shard.lastIndexOf('/') + 1);
      const file = named.find((f) => f.name === shard || f.name === base);
      if (!file)
        throw new SavingError(
          main.name,
          `weight file '${shard}' is missing: pass it together with model.json (e.g. select all the files).`,
        );
      return new Uint8Array(await file.blob.arrayBuffer());
    });
  return modelFromBytes(bytes, main.name, shards, options);
}

/**
 * Keras 3's `.keras` assets: a layer with `save_assets(dir)` / `load_assets(dir)` (the lookup and
 * text layers' vocabularies) keeps files under `assets/<object path>/` in the archive, where the
 * object path is the one its variables use (`layers/text_vectorization`). A layer takes part by
 * having `saveAssets()` returning its files by name and `loadAssets(files)`.
 */
import type { Layer } from '../../layers/engine/layer.js';
import type { Model } from '../../models/functional.js';
import { keras3Objects } from '../model-walk.js';
import type { ZipArchive } from '../zip/zip-reader.js';

export interface AssetOwner {
  saveAssets(): ReadonlyMap<string, Uint8Array> | null;
  loadAssets(files: ReadonlyMap<string, Uint8Array>): void;
}

function isAssetOwner(layer: Layer): layer is Layer & AssetOwner {
  const l = layer as Partial<AssetOwner>;
  return typeof l.saveAssets === 'function' && typeof l.loadAssets === 'function';
}

/** The archive entries of every layer's assets. */
export function modelAssetEntries(model: Model): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  for (const { path, layer } of keras3Objects(model)) {
    if (!isAssetOwner(layer)) continue;
    const files = layer.saveAssets();
    if (!files) continue;
    for (const [name, bytes] of files) entries.set(`assets/${path ? `${path}/` : ''}${name}`, bytes);
  }
  return entries;
}

/** Hands each layer the files under its asset folder in the archive. */
export function loadModelAssets(model: Model, zip: ZipArchive): void {
  const names = zip.names().filter((n) => n.startsWith('assets/'));
  if (names.length === 0) return;
  for (const { path, layer } of keras3Objects(model)) {
    if (!isAssetOwner(layer)) continue;
    const prefix = `assets/${path ? `${path}/` : ''}`;
    const files = new Map<string, Uint8Array>();
    for (const n of names) {
      const rest = n.slice(prefix.length);
      if (n.startsWith(prefix) && rest !== '' && !rest.includes('/')) files.set(rest, zip.read(n));
    }
    if (files.size > 0) layer.loadAssets(files);
  }
}

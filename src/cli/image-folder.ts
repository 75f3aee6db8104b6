/**
 * Checks on image folders before any work starts, so the user hears "folder not found" or
 * "no images" in one line instead of an error from deep inside a data iterator; and the pixel
 * limit every image-reading command takes.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { setMaxImagePixels } from '../data/codecs/pixel-limit.js';
import { IDG_IMAGE_EXTENSIONS, listDirectory } from '../data/iterators/directory-index.js';
import type { OptionSpec, OptionValues } from './args.js';
import { CliError } from './errors.js';

/** The extensions Keras's flow_from_directory accepts (case-insensitive). */
export const IMAGE_EXTENSIONS = new Set(IDG_IMAGE_EXTENSIONS.map((e) => `.${e}`));

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** `--max-image-pixels`, for the commands that read images. */
export const MAX_IMAGE_PIXELS_OPTION: OptionSpec = {
  name: 'max-image-pixels',
  kind: 'integer',
  min: 0,
  valueName: 'N',
  description:
    "refuse images of more than N pixels (width x height), read from their header: a guard against decompression bombs; 0: no limit (default: 268402689, sharp's)",
};

/** Applies `--max-image-pixels` process-wide, so loadImg and the folder iterators (and their workers) use it. */
export function applyMaxImagePixels(options: OptionValues): void {
  const limit = options[MAX_IMAGE_PIXELS_OPTION.name];
  if (typeof limit === 'number') setMaxImagePixels(limit === 0 ? null : limit);
}

export interface ClassFolderSummary {
  /** Class names: every sub-folder, sorted (Keras's class_indices order), the empty ones too. */
  classes: string[];
  /** Image count per class, same order. */
  counts: number[];
  total: number;
  /** One image file, to inspect its channels. */
  firstImage: string;
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/**
 * Checks that `dir` is a folder with one sub-folder of images per class, and counts the classes
 * exactly as `flowFromDirectory` will (the same listing): every sub-folder is a class, a
 * symlinked one too, an empty one too. Warns about each class that has no images.
 */
export async function inspectClassFolder(dir: string): Promise<ClassFolderSummary> {
  const info = await statOrNull(dir);
  if (!info) throw new CliError(`folder '${dir}' does not exist`);
  if (!info.isDirectory()) throw new CliError(`'${dir}' is not a folder (expected one sub-folder of images per class)`);
  const listing = listDirectory(dir, {
    extensions: IDG_IMAGE_EXTENSIONS,
    followLinks: false,
    split: null,
    skipHidden: false,
    what: 'capa',
  });
  const classes = listing.classNames;
  const counts = classes.map(() => 0);
  for (const c of listing.classes) counts[c]! += 1;
  if (listing.filenames.length === 0) {
    const loose = (await readdir(dir)).filter(isImageFile).length;
    const hint = loose > 0 ? `; its ${loose} images must be in one sub-folder per class` : ' (expected one sub-folder per class)';
    throw new CliError(`no images found in class sub-folders of '${dir}'${hint}`);
  }
  classes.forEach((name, i) => {
    if (counts[i] === 0)
      process.emitWarning(`class '${name}' has no images; it is still a class (as in Keras), so the model has an output for it`);
  });
  return { classes, counts, total: listing.filenames.length, firstImage: join(dir, listing.filenames[0]!) };
}

/** Checks that each path is an existing image file. */
export async function checkImageFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const info = await statOrNull(path);
    if (!info) throw new CliError(`image '${path}' does not exist`);
    if (!info.isFile()) throw new CliError(`'${path}' is not a file`);
    if (!isImageFile(path)) throw new CliError(`'${path}' is not an image file (expected ${[...IMAGE_EXTENSIONS].join(', ')})`);
  }
}

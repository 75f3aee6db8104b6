/**
 * Checks on image folders before any work starts, so the user hears "folder not found" or
 * "no images" in one line instead of an error from deep inside a data iterator; and the pixel
 * limit every image-reading command takes.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { setMaxImagePixels } from '../data/codecs/pixel-limit.js';
import type { OptionSpec, OptionValues } from './args.js';
import { CliError } from './errors.js';

/** The extensions Keras's flow_from_directory accepts (case-insensitive). */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.ppm', '.tif', '.tiff']);

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
  /** Class names: the sub-folders holding images, sorted (Keras's class_indices order). */
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

/** Counts image files under `dir` recursively (Keras follows sub-folders of each class). */
async function imagesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await imagesUnder(path)));
    else if (isImageFile(entry.name)) found.push(path);
  }
  return found;
}

/** Checks that `dir` is a folder with one sub-folder of images per class. */
export async function inspectClassFolder(dir: string): Promise<ClassFolderSummary> {
  const info = await statOrNull(dir);
  if (!info) throw new CliError(`folder '${dir}' does not exist`);
  if (!info.isDirectory()) throw new CliError(`'${dir}' is not a folder (expected one sub-folder of images per class)`);
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  entries.sort();
  const classes: string[] = [];
  const counts: number[] = [];
  let firstImage = '';
  for (const name of entries) {
    const images = await imagesUnder(join(dir, name));
    if (images.length === 0) continue;
    classes.push(name);
    counts.push(images.length);
    firstImage ||= images[0]!;
  }
  if (classes.length === 0) {
    const loose = (await readdir(dir)).filter(isImageFile).length;
    const hint = loose > 0 ? `; its ${loose} images must be in one sub-folder per class` : ' (expected one sub-folder per class)';
    throw new CliError(`no images found in class sub-folders of '${dir}'${hint}`);
  }
  return { classes, counts, total: counts.reduce((a, b) => a + b, 0), firstImage };
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

/**
 * Where the Keras dataset loaders find their files: `path` when given (the file itself), else
 * `~/.capa/datasets/<name>` (or $CAPA_DATASETS). Nothing is downloaded unless the caller asks
 * with `download: true`, which fetches Keras's own URL into that folder (written atomically);
 * otherwise a missing file is a clear error naming it, its URL and where to put it.
 */
import { writeFileAtomic } from '../io/atomic-write.js';
import { makeFolder } from '../io/make-folder.js';
import { nodeModules } from '../io/node.js';

export interface DatasetFileOptions {
  /** The local file (overrides the cache folder). */
  path?: string;
  /** Fetch the file from Keras's URL into the cache folder when it is missing (default false). */
  download?: boolean;
}

export const KERAS_DATASETS_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

export async function datasetCacheDir(): Promise<string> {
  const { os, path } = await nodeModules();
  return process.env.CAPA_DATASETS ?? path.join(os.homedir(), '.capa', 'datasets');
}

/** The bytes of a dataset file, from `path`, the cache, or (when asked) Keras's URL. */
export async function datasetFile(who: string, name: string, url: string, options: DatasetFileOptions): Promise<Uint8Array> {
  const { fs, path } = await nodeModules();
  const file = options.path ?? path.join(await datasetCacheDir(), name);
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!options.download) {
    throw new Error(
      `${who}: ${file} not found. capa does not download without being asked: call loadData({ download: true }) to fetch ${url} there, ` +
        `or download it yourself and put it at ${file} (or pass { path } to your copy).`,
    );
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${who}: could not download ${url} (${(error as Error).message}); offline? Put the file at ${file} instead.`);
  }
  if (!response.ok)
    throw new Error(`${who}: downloading ${url} failed with HTTP ${response.status}; put the file at ${file} instead.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await makeFolder(path.dirname(file));
  await writeFileAtomic(file, bytes);
  return bytes;
}

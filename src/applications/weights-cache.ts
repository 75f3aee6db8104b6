/**
 * Fetches a published weights file once into a cache folder and returns its path, like Keras's
 * `get_file(..., cache_subdir="models", file_hash=...)`: a cached file is used when its md5 is
 * right; otherwise the file is downloaded to a temporary name, checked, then renamed into place
 * (a failed or interrupted download never leaves a file the next run would trust). Node-only;
 * reached only when a user asks for `weights: 'imagenet'`.
 */
import { makeFolder } from '../io/make-folder.js';
import { nodeModules } from '../io/node.js';
import { SavingError } from '../saving/errors.js';
import type { PublishedWeightsFile } from './published-weights.js';

/** The part of `fetch` used here, so tests (and proxies) can supply their own. */
export type FetchLike = (url: string) => Promise<{
  ok: boolean;
  status: number;
  statusText: string;
  body: ReadableStream<Uint8Array> | null;
}>;

export interface WeightsCacheOptions {
  /** Folder for downloaded files; default `$CAPA_HOME/models`, else `~/.capa/models`. */
  cacheDir?: string;
  fetch?: FetchLike;
  /** Print `Downloading data from <url>` (Keras's message). Default true. */
  verbose?: boolean;
}

const node = nodeModules;

/** The cache folder: the option, else `$CAPA_HOME/models`, else `~/.capa/models`. */
export async function modelsCacheDir(cacheDir?: string): Promise<string> {
  const { path, os } = await node();
  if (cacheDir) return path.resolve(cacheDir);
  const home = process.env.CAPA_HOME;
  if (home) return path.join(path.resolve(home), 'models');
  return path.join(os.homedir(), '.capa', 'models');
}

async function md5Of(file: string): Promise<string> {
  const { fs, crypto } = await node();
  const hash = crypto.createHash('md5');
  const handle = await fs.open(file, 'r');
  try {
    const buffer = new Uint8Array(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

function offlineHelp(file: PublishedWeightsFile, target: string): string {
  return (
    `Download it on a machine with internet access and either put it at ${target} ` +
    `or pass its path: ${file.model}({ weights: '/path/to/${file.fileName}' }).`
  );
}

function describeFetchFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  const code = cause && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  const detail = cause ? cause.message : error instanceof Error ? error.message : String(error);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|ECONNRESET/.test(`${code} ${detail}`)) {
    return `the network is unreachable (${detail})`;
  }
  return `the download failed (${detail})`;
}

/**
 * The local path of a published weights file, downloading it into the cache when it is not there
 * (or its md5 is wrong). Errors say what to do offline.
 */
export async function cachedWeightsFile(file: PublishedWeightsFile, options: WeightsCacheOptions = {}): Promise<string> {
  const { fs, path, crypto } = await node();
  const dir = await modelsCacheDir(options.cacheDir);
  const target = path.join(dir, file.fileName);
  try {
    await fs.access(target);
    if (file.md5 === null || (await md5Of(target)) === file.md5) return target;
  } catch {
    // Not cached yet.
  }
  const fetchImpl: FetchLike = options.fetch ?? ((url) => fetch(url) as ReturnType<FetchLike>);
  if (options.verbose ?? true) console.log(`Downloading data from ${file.url}`);
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchImpl(file.url);
  } catch (error) {
    throw new SavingError(
      file.url,
      `cannot download the ImageNet weights for ${file.model} (${file.fileName}): ${describeFetchFailure(error)}. ${offlineHelp(file, target)}`,
    );
  }
  if (!response.ok || !response.body) {
    throw new SavingError(
      file.url,
      `cannot download the ImageNet weights for ${file.model}: the server answered ${response.status} ${response.statusText}. ${offlineHelp(file, target)}`,
    );
  }
  await makeFolder(dir).catch((error: unknown) => {
    throw new SavingError(
      dir,
      `the weights cache folder cannot be created (${error instanceof Error ? error.message : String(error)}); pass cacheDir or set CAPA_HOME.`,
    );
  });
  const temp = path.join(dir, `.${file.fileName}.${process.pid}.${Date.now().toString(36)}.download`);
  const hash = crypto.createHash('md5');
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        await handle.write(value);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const digest = hash.digest('hex');
    if (file.md5 !== null && digest !== file.md5) {
      throw new SavingError(
        file.url,
        `the downloaded ${file.fileName} has md5 ${digest}, but Keras publishes it with md5 ${file.md5}; the download is corrupt or the file changed.`,
      );
    }
    await fs.rename(temp, target);
    return target;
  } catch (error) {
    await fs.rm(temp, { force: true });
    if (error instanceof SavingError) throw error;
    throw new SavingError(
      file.url,
      `the download of ${file.fileName} failed: ${describeFetchFailure(error)}. ${offlineHelp(file, target)}`,
    );
  }
}

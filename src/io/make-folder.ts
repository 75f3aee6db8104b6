/**
 * Creating a save's folder. Node's `mkdir(dir, { recursive: true })` never settles on procfs
 * (`/proc/x` answers ENOENT to mkdir although `/proc` exists, and libuv's recursive mkdir then
 * retries forever), so folders are created one level at a time from the deepest one that exists:
 * at most one mkdir per missing level, and a refusal is reported, naming the folder.
 */
import { errorCode, errorMessage, nodeModules } from './node.js';

/** Creates `dir` and any missing parents; throws an Error naming the folder when it cannot. */
export async function makeFolder(dir: string): Promise<void> {
  const { fs, path } = await nodeModules();
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    let stat: Awaited<ReturnType<typeof fs.stat>> | null = null;
    try {
      stat = await fs.stat(current);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new Error(`cannot create the folder '${dir}': '${current}' cannot be inspected (${errorMessage(error)}).`);
      }
    }
    if (stat !== null) {
      if (!stat.isDirectory()) throw new Error(`cannot create the folder '${dir}': '${current}' is a file, not a folder.`);
      break;
    }
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      await fs.mkdir(folder);
    } catch (error) {
      // Another save may have created it meanwhile.
      if (errorCode(error) === 'EEXIST' && (await fs.stat(folder).catch(() => null))?.isDirectory()) continue;
      const why = errorCode(error) ?? errorMessage(error);
      throw new Error(
        `cannot create the folder '${folder}': the filesystem refused (${why}); choose a folder on a writable disk.`,
      );
    }
  }
}

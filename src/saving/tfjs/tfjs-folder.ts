/**
 * A TensorFlow.js model folder on disk, saved all-or-nothing and loaded with bounded reads.
 *
 * A save names its shards after itself (`group1-shard1of3.<pid>-<id>.bin`), writes them, then
 * replaces model.json by a rename: at every moment model.json points at complete shards of its
 * own save, whatever moment a kill picks. Once the new model.json is in place, the shards of the
 * save it replaced are removed, and so are those of saves killed before their model.json was
 * written (their writer is gone; see io/temp-files.ts), unless another model JSON in the folder
 * names them.
 */
import { claim, release, removeIfStale, removeStaleTemps } from '../../io/temp-files.js';
import type { Model } from '../../models/functional.js';
import { SavingError } from '../errors.js';
import { nodeModules, pathKind, readFileBytes, readFileInto, regularFile, writeFilesAtomic } from '../io/node-fs.js';
import { isJsonObject } from '../json.js';
import { type ShardReader, safeShardPath } from './shards.js';
import { tfjsModelFiles } from './tfjs-model.js';
import type { EncodeOptions } from './weights-codec.js';

/** model.json holds the topology and the manifest, never weights: a bigger one is refused unread. */
export const MODEL_JSON_MAX_BYTES = 64 * 1024 * 1024;

/** `group<g>-shard<i>of<n>[.<pid>-<id>].bin`: shard names tfjs and capa write; the pid of a capa save. */
const SHARD_NAME = /^group\d+-shard\d+of\d+(?:\.(\d+)-[0-9a-z]+)?\.bin$/;

let saves = 0;

/** A name no other save of any process uses: the writer's pid makes it tell a dead save's shards. */
function newSaveId(): string {
  const unique = `${Date.now().toString(36)}${(saves++).toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
  return `${process.pid}-${unique}`;
}

/** The shard paths the model.json at `jsonPath` names; none when there is no readable one. */
async function shardPathsOf(jsonPath: string): Promise<Set<string>> {
  const paths = new Set<string>();
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(await readFileBytes(jsonPath, MODEL_JSON_MAX_BYTES)));
    const manifest = isJsonObject(json) ? json.weightsManifest : null;
    for (const group of Array.isArray(manifest) ? manifest : []) {
      for (const path of isJsonObject(group) && Array.isArray(group.paths) ? group.paths : []) {
        if (typeof path === 'string') paths.add(safeShardPath(path, jsonPath));
      }
    }
  } catch {
    // No model.json yet, or not one capa can read (or naming unsafe paths): nothing of it to clean.
  }
  return paths;
}

/** Saves `model` as `jsonPath` (model.json) with its shards beside it, in folder `dir`. */
export async function saveTfjsFolder(model: Model, dir: string, jsonPath: string, options: EncodeOptions): Promise<void> {
  const { fs, path } = await nodeModules();
  const jsonName = path.basename(jsonPath);
  const files = tfjsModelFiles(model, { ...options, saveId: newSaveId() });
  const shards = files.shards.map((shard) => ({ path: claim(path.resolve(dir, shard.path)), bytes: shard.bytes }));
  try {
    const replaced = await shardPathsOf(jsonPath);
    // Temporaries of killed saves first: they may be what stands between this save and a full disk.
    await removeStaleTemps(dir, (name) => name === jsonName || SHARD_NAME.test(name));
    await writeFilesAtomic([...shards, { path: jsonPath, bytes: files.modelJson }]);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    // Another model.json in this folder (b.json beside a.json) keeps the shards it names.
    const others = names.filter((name) => name !== jsonName && name.toLowerCase().endsWith('.json'));
    const kept = new Set(files.shards.map((shard) => shard.path));
    for (const other of await Promise.all(others.map((name) => shardPathsOf(path.join(dir, name))))) {
      for (const name of other) kept.add(name);
    }
    await Promise.all(
      names.map(async (name) => {
        const match = SHARD_NAME.exec(name);
        if (!match || kept.has(name)) return;
        const file = path.resolve(dir, name);
        if (replaced.has(name)) await fs.rm(file, { force: true }).catch(() => undefined);
        else if (match[1] !== undefined) await removeIfStale(file, Number(match[1]));
      }),
    );
  } finally {
    for (const shard of shards) release(shard.path);
  }
}

/**
 * Reads the shards beside model.json `label` in `dir`: regular files only, each file once (two
 * names linked to one file would let a manifest claim its bytes twice), and only their bytes.
 */
export async function tfjsFolderShards(dir: string, label: string): Promise<ShardReader> {
  const { path } = await nodeModules();
  const seen = new Map<string, string>();
  return {
    async size(shard) {
      const file = path.join(dir, shard);
      if ((await pathKind(file)) === 'missing') {
        throw new SavingError(
          label,
          `shard '${shard}' is missing from ${dir}; the save that wrote model.json was interrupted, or files were removed.`,
        );
      }
      const { size, identity } = await regularFile(file);
      const first = seen.get(identity);
      if (first !== undefined)
        throw new SavingError(label, `shard '${shard}' is the same file as shard '${first}'; each shard holds its own bytes.`);
      seen.set(identity, shard);
      return size;
    },
    readInto: (shard, into) => readFileInto(path.join(dir, shard), into),
  };
}

/**
 * A copy of capa at another git revision, with its own native addon, so the benchmark can run
 * that revision's capa next to this one in the same run (the peer `capa-native@<rev>`).
 *
 * The tree is exported with `git archive` into `<cache>/<full hash>` (cache: $CAPA_BENCH_CACHE,
 * else ~/.cache/capa-bench), outside the repository, so nothing is registered in the repository's
 * worktree list and nothing there is touched. `node_modules` is a symlink to this checkout's (the
 * dependencies of a nearby revision are the same packages), and the addon is built in the tree by
 * its own `scripts/build-native.mjs`. A `.ready` file written last marks a finished tree, so an
 * interrupted export or build is redone on the next run, and a finished one is reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const READY = '.ready';
const ADDON = join('native', 'build', 'Release', 'capa_native.node');

function run(cmd: string, args: string[], cwd: string, what: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    throw new Error(`bench: ${what} failed (${cmd} ${args.join(' ')}): ${(r.stderr || r.error?.message || '').trim()}`);
  }
  return r.stdout;
}

/** The benchmark's cache of revision trees. */
export function revisionCache(): string {
  return process.env.CAPA_BENCH_CACHE ?? join(homedir(), '.cache', 'capa-bench');
}

/**
 * Returns the root of a built tree of `rev` (any name git understands: a hash, a branch, a tag),
 * exporting and building it first when the cache has none. `repo` is this checkout's root.
 */
export function revisionTree(repo: string, rev: string): string {
  const hash = run('git', ['rev-parse', '--verify', `${rev}^{commit}`], repo, `resolving revision '${rev}'`).trim();
  const dir = join(revisionCache(), hash);
  if (existsSync(join(dir, READY))) return dir;

  console.error(`== bench: exporting capa at ${rev} (${hash.slice(0, 10)}) to ${dir} and building its native addon`);
  mkdirSync(revisionCache(), { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  const archive = join(partial, '.tree.tar');
  run('git', ['archive', '--format=tar', '-o', archive, hash], repo, `exporting ${rev}`);
  run('tar', ['-xf', archive, '-C', partial], repo, `unpacking ${rev}`);
  rmSync(archive);
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(partial, 'node_modules'), 'dir');
  // The addon build bakes absolute paths into its makefiles: build where the tree will stay.
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  run(process.execPath, [join('scripts', 'build-native.mjs')], dir, `building the native addon of ${rev}`);
  // build-native never fails an install (capa falls back to TypeScript); a benchmark of the
  // native peer without its addon would silently measure the wrong thing, so insist on it here.
  if (!existsSync(join(dir, ADDON))) {
    throw new Error(
      `bench: the native addon of ${rev} did not build in ${dir} (run \`node scripts/build-native.mjs --verbose\` there)`,
    );
  }
  writeFileSync(join(dir, READY), `${hash}\n`);
  return dir;
}

/**
 * The package as users get it: `dist/` built by `prepare` (tsc -p tsconfig.build.json), rebuilt
 * when missing or older than the sources, and a throwaway consumer project whose
 * node_modules/capa links to this repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ the way `prepare` does when it is missing or older than the sources or package.json. */
export function ensureBuilt(): void {
  const entry = join(PACKAGE_ROOT, 'dist', 'index.js');
  const sources = Math.max(newestMtime(join(PACKAGE_ROOT, 'src')), statSync(join(PACKAGE_ROOT, 'package.json')).mtimeMs);
  if (existsSync(entry) && statSync(entry).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building dist failed:\n${r.stdout}\n${r.stderr}`);
}

/** A fresh consumer project (ESM) with node_modules/capa linked to this repository; returns its folder. */
export function makeConsumer(prefix = 'capa-consumer-'): string {
  const consumer = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(consumer, 'node_modules', 'capa'), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  return consumer;
}
